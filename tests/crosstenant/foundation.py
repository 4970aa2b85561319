from tests.conftest import STRONG_PASSWORD
from tests.crosstenant import factory


@factory("department_id")
def department(api) -> int:
    return api.post("/departments", {"name": "Private"}).get_json()["id"]


@factory("staff_id")
def staff(api) -> int:
    return api.post("/staff", {"name": "Private Person", "email": "private@a.example",
                               "password": STRONG_PASSWORD}).get_json()["id"]


@factory("token_id")
def token(api) -> int:
    return api.post("/tokens", {"name": "private"}).get_json()["id"]
