from tests.crosstenant import factory


@factory("addon")
def addon(api) -> str:
    """Tenant A buys an add-on; for tenant B that add-on is not active: 404 on drop."""
    response = api.post("/billing/addons", {"addon": "gmail"})
    assert response.status_code == 201, response.get_json()
    return "gmail"
