"""The API under a fuzzer (schemathesis, generating requests from the OpenAPI document): no
request, however odd, gets a server error, and every answer matches what the document says of
it (the repro: schemathesis found 11 distinct server errors in 12,219 cases, and 140 answers
that did not match their schema).

Bounded (a few examples per operation) so that it runs with the suite on both databases.
Operations that would lock the fuzzing user out of the rest of the run — revoking its token,
changing its password, switching modules off, changing users — are left out.

The checks are schemathesis' ``--checks all`` but two, for reasons of what the document can
say rather than of what the API does:

- ``positive_data_acceptance`` (every schema-valid request is a 2xx): the document describes
  the shape of a request, and the tenant's data decides the rest — a well-formed id names no
  record (422 "No such account"), ``custom.<name>`` must name one of the tenant's custom
  fields, a cursor is one the list handed out, and some fields go together ("Give
  related_entity and related_id together"). What a document can state, it states (sorts,
  ``owner=me``, amounts' and percentages' bounds as patterns).
- ``ignored_auth``: the run authenticates with a header it adds to each call, which that
  check does not know to take away; that every route refuses a caller without a valid
  token is walked route by route in tests/security/test_anonymous_api.py.
"""

from __future__ import annotations

import re
from collections import Counter

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from patron.testing.route_walk import enable_every_module

#: Operations that would end the run's own access, or sign in without its token.
LOCKOUTS = re.compile(r"/auth/token|/me/password|/tokens|/modules|/users|/roles")
EXAMPLES = settings(max_examples=3, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=list(HealthCheck))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance, negative_data_rejection,
          missing_required_header, unsupported_method, allow_header_conformance]


def test_no_server_error_and_every_answer_matches_the_document(app, auth, tenant):
    api = auth.api(tenant)
    enable_every_module(api)
    bearer = {"Authorization": f"Bearer {api.token}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, answers = {}, Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if LOCKOUTS.search(operation.path):
            continue
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @EXAMPLES
            @given(case=operation.as_strategy(generation_mode=mode))
            def fuzz(case):
                response = case.call(headers=bearer)
                answers[response.status_code // 100] += 1
                case.validate_response(response, checks=CHECKS)

            try:
                fuzz()
            # Collected: one run reports every failing operation (schemathesis' FailureGroup
            # is a BaseExceptionGroup).
            except (Exception, BaseExceptionGroup) as error:
                failures[f"{operation.method.upper()} {operation.path} ({mode.value})"] = (
                    str(error)[:600])
    assert not failures, "\n\n".join(f"{name}: {text}" for name, text in failures.items())
    # The run reached the operations: most answers are successes or refusals of bad input.
    assert answers[2] > 50 and answers[4] > 500, answers


def test_an_anonymous_export_of_a_modules_records_is_401(client):
    """Found by the fuzzer: the export looked the resource up in the tenant's modules before
    asking who was calling, and an anonymous call was a server error."""
    for resource in ("service_contract", "opportunity", "account"):
        response = client.get(f"/api/v1/exports/{resource}")
        assert response.status_code == 401, resource
        assert response.mimetype == "application/problem+json"
