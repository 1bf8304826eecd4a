"""The one way browser tests sign in: the login form as a user fills it, then the second step for officials."""

from tests.conftest import DEMO_PASSWORD, totp_code

SECOND_STEP = "/accounts/second-step/"


def sign_in(page, base: str, username: str, password: str = DEMO_PASSWORD, *, wait: bool = True) -> None:
    """Sign in through the login page with a fresh cookie jar; an official then types the current code of their
    authenticator (the demo secrets of the README). Waits for the home page unless told not to."""
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    with page.expect_navigation():  # the form's POST: the second step, home, or the login page again
        page.get_by_role("button", name="登录").click()
    if SECOND_STEP in page.url:
        page.get_by_label("验证码").fill(totp_code(username))
        with page.expect_navigation():
            page.get_by_role("button", name="确认").click()
    if wait:
        page.wait_for_url(f"{base}/")
