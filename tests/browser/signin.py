"""The one way browser tests sign in: the login form as a user fills it."""

from tests.conftest import DEMO_PASSWORD


def sign_in(page, base: str, username: str, password: str = DEMO_PASSWORD, *, wait: bool = True) -> None:
    """Sign in through the login page with a fresh cookie jar; wait for the home page unless told not to."""
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    if wait:
        page.wait_for_url(f"{base}/")
