"""The browser's warm-up: while the person reads the first page, the browser loads the code of the elements the
other pages draw (tables, charts, pickers), so the first switch to a page with a table or a chart does not wait
for several megabytes of script to arrive and start.

Streamlit's frontend loads each kind of element's code the first time a page shows one; plotly's alone is 4.7 MB.
Importing the same files a little earlier, when the browser is idle, fills the browser's module cache the
frontend then reads from. The files are named with a hash that changes with each Streamlit release, so they are
looked up in the installed package; a kind not found is skipped, and a page then loads it as before.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st

FRONTEND_CODE = Path(st.__file__).parent / "static" / "static" / "js"
# The elements the pages draw after the first one (the syntax highlighter draws st.code's commands and links);
# widgets the first page draws are loaded by then anyway.
ELEMENTS = ("PlotlyChart", "DataFrame", "Multiselect", "Checkbox", "Radio", "ButtonGroup", "DownloadButton",
            "NumberInput", "TextInput", "DateInput", "TimeInput", "FileUploader", "StreamlitSyntaxHighlighter")
IDLE_WAIT_MS = 5000  # the longest the browser waits for an idle moment before it loads them anyway

_SCRIPT = """<script>
(() => {
  if (window.__studioElementsLoaded) return;
  window.__studioElementsLoaded = true;
  const main = document.querySelector('script[src*="/static/js/index."]');
  if (!main) return;
  const folder = new URL('.', main.src);
  const load = () => FILES.forEach(file => import(new URL(file, folder).href).catch(() => {}));
  (window.requestIdleCallback || (run => setTimeout(run, 1000)))(load, {timeout: IDLE_WAIT_MS});
})();
</script>"""


@functools.cache
def _script() -> str:
    files = [found.name for element in ELEMENTS for found in sorted(FRONTEND_CODE.glob(f"{element}.*.js"))[:1]]
    return _SCRIPT.replace("FILES", json.dumps(files)).replace("IDLE_WAIT_MS", str(IDLE_WAIT_MS))


def load_element_code() -> None:
    """Ask the browser to load the other pages' element code when it is idle (once per browser tab)."""
    st.html(_script(), unsafe_allow_javascript=True)
