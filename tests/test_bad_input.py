"""Bad input never reaches the database as a 500 (found by fuzzing the OpenAPI document)."""
import pytest

from tests.conftest import STRONG_PASSWORD


def test_department_names_differ_only_in_case_in_any_alphabet(tenant_a):
    assert tenant_a.post("/departments", {"name": "ÉCOLE"}).status_code == 201
    assert tenant_a.post("/departments", {"name": "école"}).status_code == 409
    assert tenant_a.post("/departments", {"name": "ОТДЕЛ"}).status_code == 201
    assert tenant_a.post("/departments", {"name": "отдел"}).status_code == 409


def test_nul_and_lone_surrogates_are_422(tenant_a):
    response = tenant_a.call("POST", "/departments", data='{"name": "a\\u0000b"}',
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert "name" in response.get_json()["error"]["fields"]
    response = tenant_a.call("POST", "/departments", data='{"name": "x\\udb22y"}',
                             headers={"Content-Type": "application/json"})
    assert response.status_code == 422


def test_nul_in_a_form_is_400(client, signup):
    _, body = signup()
    slug = body["tenant"]["slug"]
    response = client.post(f"/t/{slug}/login", data={"email": "a\x00@x.example",
                                                     "password": STRONG_PASSWORD})
    assert response.status_code == 400


def test_ids_beyond_bigint_are_404(tenant_a):
    response = tenant_a.get("/departments/99999999999999999999")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("method, path", [
    ("PATCH", "/departments/{id}"), ("DELETE", "/departments/{id}"),
    ("PATCH", "/tickets/{id}"), ("DELETE", "/tickets/{id}"), ("POST", "/tickets/{id}/messages"),
    ("DELETE", "/tickets/1/links/{id}"), ("PATCH", "/staff/{id}"), ("DELETE", "/tokens/{id}"),
])
def test_ids_beyond_bigint_are_404_for_every_method(tenant_a, method, path):
    for huge in (2**63, 10**40):
        response = tenant_a.call(method, path.format(id=huge), json={})
        assert response.status_code == 404, (method, path)
        assert response.get_json()["error"]["code"] == "not_found"


def test_json_array_body_is_422(tenant_a):
    assert tenant_a.post("/departments", ["not", "an", "object"]).status_code == 422
