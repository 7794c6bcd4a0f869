"""Every API route, walked from the URL map, refuses a caller without a valid token: no token,
a forged token and a malformed header all answer 401 problem+json (only signing in and the
OpenAPI document are open). A new route is covered the moment it exists."""

from __future__ import annotations

import uuid

from patron.endpoints import PUBLIC as PUBLIC_MARK
from patron.endpoints import declared
from patron.testing.route_walk import routes

OPEN = {"/api/v1/openapi.json"}
HEADERS = ({}, {"Authorization": "Bearer ptn_forged0000000000000000000000000000"},
           {"Authorization": "Basic YWRtaW46YWRtaW4="}, {"Authorization": "Bearer"})


def test_every_api_route_is_401_without_a_valid_token(app, client, tenant):
    walked = 0
    for route in routes(app):
        if route.is_page or route.rule in OPEN:
            continue
        endpoint = next(rule.endpoint for rule in app.url_map.iter_rules()
                        if rule.rule == route.rule and route.method in rule.methods)
        if declared(app.view_functions.get(endpoint), PUBLIC_MARK):
            continue
        url = route.url(str(uuid.uuid4()), "sales")
        for headers in HEADERS:
            response = client.open(url, method=route.method, headers=headers, json={})
            assert response.status_code == 401, (route.method, route.rule, headers,
                                                 response.status_code)
            assert response.mimetype == "application/problem+json", (route.method, route.rule)
        walked += 1
    assert walked > 200
