"""placeholder"""
def register(cli):
    pass
