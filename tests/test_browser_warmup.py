"""The browser's warm-up script names every element's code file of the installed Streamlit, in the order the other
pages need them (tests/test_browser.py sees the browser fetch them while the first page is read)."""
from __future__ import annotations

import json
import re

from ui.components import browser_warmup


def named_files() -> list[str]:
    return json.loads(re.search(r"const urls = (\[.*?\])\.map", browser_warmup._script()).group(1))


def test_every_element_the_other_pages_draw_has_its_code_file_in_the_installed_streamlit():
    files = named_files()
    assert [name.split(".")[0] for name in files] == list(browser_warmup.ELEMENTS)
    assert all((browser_warmup.FRONTEND_CODE / name).is_file() for name in files)
