"""The customer master every module shares: accounts (contacts, products, activities follow)."""
