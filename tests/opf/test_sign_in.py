"""Sign-in and sessions (#9): brute force is paused, API callers are rate
limited, sessions end, passwords must be strong, tokens are revocable."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from opf.core.rest.throttling import ClientRateThrottle, FailedTokenThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests"
_addresses = itertools.count(10)


def fresh_address() -> str:
    """A documentation address of its own: rate-limit counters live in the shared
    cache (Redis in CI), so each test uses keys no other test touched."""
    return f"198.51.100.{next(_addresses) % 250}"


def sign_in(client: Client, username: str, password: str, address: str):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_wrong_passwords_pause_sign_in_for_that_name_and_address(settings):
    user = UserFactory(username="target")
    address = fresh_address()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        refused = sign_in(client, "target", "guess", address)
        assert refused.status_code == 200
        assert "Please enter a correct username and password" in refused.content.decode()
    paused = sign_in(client, "target", "guess", address)
    assert paused.status_code == 429
    assert "Sign-in paused" in paused.content.decode()
    # Even the right password is refused from there during the cool-off ...
    assert sign_in(client, "target", PASSWORD, address).status_code == 429
    assert "_auth_user_id" not in client.session
    # ... while the owner signs in from elsewhere (the lock is per name and address).
    elsewhere = Client()
    assert sign_in(elsewhere, "target", PASSWORD, fresh_address()).status_code == 302
    assert int(elsewhere.session["_auth_user_id"]) == user.pk


def test_the_pause_ends_after_the_cool_off(settings):
    UserFactory(username="patient")
    address = fresh_address()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "patient", "guess", address)
    assert sign_in(client, "patient", PASSWORD, address).status_code == 429
    AccessAttempt.objects.filter(username="patient").update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert sign_in(client, "patient", PASSWORD, address).status_code == 302


def test_a_good_sign_in_forgets_earlier_failures(settings):
    UserFactory(username="forgetful")
    address = fresh_address()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "forgetful", "guess", address)
    assert sign_in(client, "forgetful", PASSWORD, address).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "forgetful", "guess", address)
    assert sign_in(client, "forgetful", PASSWORD, address).status_code == 302


def test_api_token_over_its_rate_gets_429_with_retry_after(settings):
    settings.OPF_API_RATE_PER_MINUTE = 3
    user = UserFactory()
    # Counters are keyed by user id, which a rolled-back test may have used before.
    cache.delete(ClientRateThrottle.cache_format % {"scope": "client", "ident": user.pk})
    token = Token.objects.create(user=user)
    api = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    answers = [api.get("/api/v1/projects/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = api.get("/api/v1/projects/")
    assert limited.status_code == 429
    assert 0 < int(limited["Retry-After"]) <= 60
    assert "Request was throttled" in limited.json()["detail"]
    # Another user's budget is their own.
    other_user = UserFactory()
    cache.delete(ClientRateThrottle.cache_format % {"scope": "client", "ident": other_user.pk})
    other = APIClient(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=other_user).key}")
    assert other.get("/api/v1/projects/").status_code == 200


def test_guessing_tokens_is_paused_for_the_address(settings):
    settings.OPF_API_ANON_RATE_PER_MINUTE = 2
    address, elsewhere = fresh_address(), fresh_address()
    for ident in (address, elsewhere):  # left from an earlier run of the suite (shared Redis)
        cache.delete(FailedTokenThrottle.cache_format % {"scope": "failed-token", "ident": ident})
    guesser = APIClient(REMOTE_ADDR=address, HTTP_AUTHORIZATION="Token not-a-real-token")
    answers = [guesser.get("/api/v1/projects/", REMOTE_ADDR=address) for _ in range(3)]
    assert [a.status_code for a in answers] == [401, 401, 429]
    assert int(answers[-1]["Retry-After"]) > 0
    # Paused means no token is even checked from there, a right one included ...
    real = Token.objects.create(user=UserFactory()).key
    from_there = APIClient(REMOTE_ADDR=address, HTTP_AUTHORIZATION=f"Token {real}")
    assert from_there.get("/api/v1/projects/", REMOTE_ADDR=address).status_code == 429
    # A forged X-Forwarded-For does not make a new address.
    forged = guesser.get("/api/v1/projects/", REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert forged.status_code == 429
    # ... while other addresses are not affected.
    from_elsewhere = APIClient(HTTP_AUTHORIZATION=f"Token {real}")
    assert from_elsewhere.get("/api/v1/projects/", REMOTE_ADDR=elsewhere).status_code == 200


def test_sessions_end_with_the_browser_and_after_a_working_day(settings, people):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 12 * 3600
    client = Client()
    response = sign_in(client, people.member.username, PASSWORD, fresh_address())
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert client.get("/").status_code == 200
    stored = Session.objects.get(session_key=client.session.session_key)
    assert stored.expire_date <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    Session.objects.filter(pk=stored.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = client.get("/")
    assert expired.status_code == 302 and expired["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short1!", "This password is too short"),
        ("password123", "This password is too common"),
        ("8437209561", "This password is entirely numeric"),
    ],
)
def test_weak_new_passwords_are_refused_with_the_reason(client_as, people, new, message):
    web = client_as(people.member)
    response = web.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    people.member.refresh_from_db()
    assert people.member.check_password(PASSWORD)


def test_password_change_needs_the_old_one_and_ends_other_sessions(people):
    other_device = Client()
    assert (
        sign_in(other_device, people.member.username, PASSWORD, fresh_address()).status_code == 302
    )
    web = Client()
    sign_in(web, people.member.username, PASSWORD, fresh_address())
    strong = "Quarterly-appraisal-47"
    wrong_old = web.post(
        "/accounts/password/",
        {"old_password": "not-it", "new_password1": strong, "new_password2": strong},
    )
    assert "Your old password was entered incorrectly" in wrong_old.content.decode()
    changed = web.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong},
        follow=True,
    )
    assert "Your password was changed." in changed.content.decode()
    assert web.get("/").status_code == 200  # this session stays signed in
    assert other_device.get("/").status_code == 302  # the other one is signed out


def test_a_password_change_revokes_the_api_token_and_says_so(people):
    """#21: an API token survived a password change."""
    token = Token.objects.create(user=people.member)
    script = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert script.get("/api/v1/projects/").status_code == 200
    web = Client()
    sign_in(web, people.member.username, PASSWORD, fresh_address())
    form = web.get("/accounts/password/").content.decode()
    assert "revokes your API token" in form
    strong = "Quarterly-appraisal-47"
    changed = web.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong},
        follow=True,
    )
    assert "your API token was revoked" in changed.content.decode()
    assert not Token.objects.filter(user=people.member).exists()
    assert script.get("/api/v1/projects/").status_code == 401
    assert web.get("/").status_code == 200  # this session stays signed in


def test_a_password_set_in_the_admin_revokes_tokens_and_sessions(people):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    token = Token.objects.create(user=people.member)
    member_device = Client()
    sign_in(member_device, people.member.username, PASSWORD, fresh_address())
    superuser = Client()
    superuser.force_login(admin)
    strong = "Quarterly-appraisal-47"
    response = superuser.post(
        f"/admin/opf/user/{people.member.pk}/password/",
        {"password1": strong, "password2": strong, "usable_password": "true"},
    )
    assert response.status_code == 302
    people.member.refresh_from_db()
    assert people.member.check_password(strong)
    assert not Token.objects.filter(pk=token.pk).exists()
    script = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert script.get("/api/v1/projects/").status_code == 401
    assert member_device.get("/").status_code == 302  # signed out
    assert superuser.get("/").status_code == 200
