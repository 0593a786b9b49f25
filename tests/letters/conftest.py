from tests.api.conftest import api, token  # noqa: F401 -- fixtures shared with the API tests
from tests.plans.conftest import draft_ready, pip_file, vastgesteld  # noqa: F401 -- PIP fixtures for test_sending
