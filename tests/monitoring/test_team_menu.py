"""The team page has its menu item (#16): 'Werkverdeling' for the teamleider (every caseworker side by side),
'Mijn cijfers' for a klantregisseur (their own row); no item for roles the page answers 404."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

LINK = 'href="/monitoring/team/"'


@pytest.mark.django_db
@pytest.mark.parametrize(("username", "label"), [("tamara", "Werkverdeling"), ("kim", "Mijn cijfers")])
def test_the_roles_that_may_see_the_team_page_find_it_in_the_menu(
    login: Callable[..., Client], username: str, label: str
) -> None:
    client = login(username)
    home = client.get("/").content.decode()
    assert home.count(LINK) == 1
    assert f"{LINK}\n               >{label}</a>" in home
    page = client.get("/monitoring/team/")
    assert page.status_code == 200
    assert 'href="/monitoring/team/"\n               aria-current="page">' in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["bram", "carla", "fenna", "frank", "rik"])
def test_other_roles_have_no_menu_item_and_the_page_is_404(login: Callable[..., Client], username: str) -> None:
    client = login(username)
    assert LINK not in client.get("/").content.decode()
    assert client.get("/monitoring/team/").status_code == 404
