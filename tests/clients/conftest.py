from tests.api.conftest import api, token  # noqa: F401 -- fixtures shared with the API tests
