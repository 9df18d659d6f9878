"""Following a link of the main menu in Chromium: most links sit in a section (portal/menu.py)
that opens first."""


def follow_menu_link(page, name: str) -> None:
    nav = page.get_by_role("navigation", name="Main")
    link = nav.get_by_role("link", name=name, exact=True, include_hidden=True)
    if not link.is_visible():
        nav.locator(".nav-disclosure").filter(has=link).get_by_role("button").click()
    link.click()
