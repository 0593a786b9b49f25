from tests.api.conftest import api, household_member, token  # noqa: F401 -- fixtures shared with the API tests
