"""Following a link of the main menu in Chromium: most links sit in a section (portal/menu.py)
that opens first."""


def follow_menu_link(page, name: str) -> None:
    nav = page.get_by_role("navigation", name="Main")
    link = nav.get_by_role("link", name=name, exact=True, include_hidden=True)
    if not link.is_visible():
        # The inner locator of has= is searched inside each section, so it starts from the page.
        inner = page.get_by_role("link", name=name, exact=True, include_hidden=True)
        nav.locator(".nav-disclosure").filter(has=inner).get_by_role("button").click()
    link.click()
