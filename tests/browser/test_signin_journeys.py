import pytest

from tests.browser.signin import sign_in
from tests.conftest import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXPECTED_ON_HOME = {
    "admin": "最近安全事件",
    "centre": "待我办理",
    "city_nanning": "待审核申请",
    "city_liuzhou": "待审核申请",
    "police_nanning": "待出具意见申请",
    "police_liuzhou": "待出具意见申请",
    "expert1": "分配给我的申请",
    "expert2": "分配给我的申请",
    "agency_nanning": "我的备案申请",
    "agency_liuzhou": "我的备案申请",
}


def test_every_demo_account_signs_in_and_sees_its_home_page(live_server, page_factory, screenshot):
    seed_demo()
    page = page_factory()
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.get_by_role("heading", name="登录").is_visible()
    screenshot(page, "login")
    for username in DEMO_ACCOUNTS:
        sign_in(page, live_server.url, username, DEMO_PASSWORD)
        page.wait_for_url(f"{live_server.url}/")
        assert page.get_by_text(EXPECTED_ON_HOME[username]).first.is_visible(), username
        screenshot(page, f"home-{username}")
        page.locator(".dropdown-toggle").click()
        page.get_by_role("button", name="退出登录").click()
        page.wait_for_url(f"{live_server.url}/accounts/login/")


def test_wrong_password_and_lockout_are_explained_in_chinese(live_server, page_factory, screenshot):
    seed_demo()
    page = page_factory()
    for _ in range(5):
        sign_in(page, live_server.url, "city_liuzhou", "not-the-password", wait=False)
    assert page.get_by_text("请输入一个正确的用户名和密码").is_visible() or page.get_by_text("已被锁定").is_visible()
    sign_in(page, live_server.url, "city_liuzhou", DEMO_PASSWORD, wait=False)
    assert page.get_by_text("该账号已被锁定 30 分钟").is_visible()
    screenshot(page, "locked-out")


def test_the_sign_in_form_warns_before_the_lockout_in_chinese_and_english(live_server, page_factory, screenshot):
    """Issue acct11: at 2 and then 1 attempt left, the form says so beside the fields; the next failure locks."""
    seed_demo()
    base = live_server.url
    page = page_factory()
    for _ in range(2):
        sign_in(page, base, "agency_nanning", "not-the-password", wait=False)
    assert page.locator(".lockout-warning").count() == 0
    sign_in(page, base, "agency_nanning", "not-the-password", wait=False)
    assert page.get_by_text("还可尝试 2 次，之后将锁定 30 分钟。").is_visible()
    screenshot(page, "lockout-warning-zh")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=username]").fill("agency_nanning")
    page.locator("input[name=password]").fill("still-not-it")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("1 more attempt, then signing in is locked for 30 minutes.").is_visible()
    screenshot(page, "lockout-warning-en")
    page.locator("input[name=password]").fill("still-not-it")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_text("locked").first.is_visible()


def test_home_page_works_on_a_phone(live_server, page_factory, screenshot):
    seed_demo()
    page = page_factory(mobile=True)
    sign_in(page, live_server.url, "city_nanning", DEMO_PASSWORD)
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("button", name="菜单").click()
    page.get_by_role("link", name="评价机构").click()
    assert page.get_by_role("link", name="南宁市安盾职业技能培训学校").is_visible()
    screenshot(page, "mobile-agencies-city_nanning")


def test_second_step_enrolment_and_recovery_codes_in_the_browser(live_server, page_factory, screenshot):
    """An enrolled official's second step (desktop and phone); an official without an authenticator enrols with
    the key the page shows and gets recovery codes."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    seed_demo()
    base = live_server.url
    for mobile in (False, True):
        page = page_factory(mobile=mobile)
        page.goto(f"{base}/accounts/login/")
        page.get_by_label("用户名").fill("centre")
        page.get_by_label("密码").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{base}/accounts/second-step/**")
        page.get_by_label("验证码").fill("000000" if totp_code("centre") != "000000" else "111111")
        page.get_by_role("button", name="确认").click()
        assert page.get_by_text("验证码错误或已被使用").is_visible()
        screenshot(page, f"second-step-wrong-code{'-mobile' if mobile else ''}")
        page.wait_for_timeout(1500)  # django-otp lets a second try come a second after a wrong code
        page.get_by_label("验证码").fill(totp_code("centre"))
        page.get_by_role("button", name="确认").click()
        page.wait_for_url(f"{base}/")

    TOTPDevice.objects.filter(user__username="expert2").delete()  # expert2 has not enrolled yet
    for mobile in (False, True):
        page = page_factory(mobile=mobile)
        sign_in(page, base, "expert2", wait=False)
        page.wait_for_url(f"{base}/accounts/second-factor/enrol/**")
        assert page.locator("img.enrol-qr").evaluate("img => img.naturalWidth") > 0
        screenshot(page, f"second-factor-enrol{'-mobile' if mobile else ''}")
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    page.get_by_label("验证码").fill(totp_code("expert2", secret))
    page.get_by_role("button", name="确认并完成").click()
    page.wait_for_url(f"{base}/accounts/second-factor/recovery-codes/**")
    assert page.locator(".recovery-codes li").count() == 10
    screenshot(page, "second-factor-recovery-codes-mobile")
    page.get_by_role("button", name="我已保存，继续").click()
    page.wait_for_url(f"{base}/")


def test_the_public_forms_show_a_legible_picture(live_server, page_factory, screenshot):
    seed_demo()
    for mobile in (False, True):
        page = page_factory(mobile=mobile)
        page.goto(f"{live_server.url}/register/")
        picture = page.locator("img.captcha-image")
        picture.scroll_into_view_if_needed()
        assert picture.evaluate("img => img.naturalWidth") > 100
        screenshot(page, f"register-captcha{'-mobile' if mobile else ''}")
        picture.screenshot(path=str(screenshot(page, "captcha-probe").parent / "captcha-picture.png"))
    # The objection form of the demo's notice whose window is open.
    from django.utils import timezone

    from publicity.models import Notice

    notice = Notice.objects.filter(status=Notice.Status.PUBLISHED, closes_on__gte=timezone.localdate()).first()
    page = page_factory(mobile=True)
    page.goto(f"{live_server.url}/notices/{notice.pk}/")
    page.locator("img.captcha-image").scroll_into_view_if_needed()
    assert page.locator("img.captcha-image").evaluate("img => img.naturalWidth") > 100
    screenshot(page, "objection-captcha-mobile")
