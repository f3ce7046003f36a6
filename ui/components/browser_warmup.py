"""The browser's warm-up: while the person reads the first page, the browser loads the code of the elements the
other pages draw (tables, charts, pickers), so the first switch to a page with a table or a chart does not wait
for several megabytes of script to arrive and start.

Streamlit's frontend loads each kind of element's code the first time a page shows one; plotly's alone is 4.7 MB.
Loading the same files a little earlier fills the browser's module map the frontend then reads from: every file
is announced at once as a module preload (fetched and compiled off the page's main thread), then run one at a
time in the browser's idle moments, so a click that comes meanwhile waits for one module at most, not for all of
them. The files are named with a hash that changes with each Streamlit release, so they are looked up in the
installed package; a kind not found is skipped, and a page then loads it as before.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st

FRONTEND_CODE = Path(st.__file__).parent / "static" / "static" / "js"
# The elements the other pages draw, run in this order: the roster's first (its table picker, host picker and
# chart), then the scorecards' and the forms'; the syntax highlighter draws st.code's commands and links. Those the
# first page drew already are run by then, and cost nothing here.
ELEMENTS = ("ButtonGroup", "Multiselect", "PlotlyChart", "DataFrame", "Checkbox", "Radio", "DownloadButton",
            "NumberInput", "TextInput", "DateInput", "TimeInput", "FileUploader", "StreamlitSyntaxHighlighter")
IDLE_WAIT_MS = 5000  # the longest the browser waits for an idle moment before it runs the next one anyway

_SCRIPT = """<script>
(() => {
  if (window.__studioElementsLoaded) return;
  window.__studioElementsLoaded = true;
  const main = document.querySelector('script[src*="/static/js/index."]');
  if (!main) return;
  const folder = new URL('.', main.src);
  const urls = FILES.map(file => new URL(file, folder).href);
  urls.forEach(href => {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = href;
    document.head.appendChild(link);
  });
  const idle = run => (window.requestIdleCallback || (later => setTimeout(later, 200)))(run, {timeout: IDLE_WAIT_MS});
  const next = i => i < urls.length && import(urls[i]).catch(() => {}).finally(() => idle(() => next(i + 1)));
  idle(() => next(0));
})();
</script>"""


@functools.cache
def _script() -> str:
    files = [found.name for element in ELEMENTS for found in sorted(FRONTEND_CODE.glob(f"{element}.*.js"))[:1]]
    return _SCRIPT.replace("FILES", json.dumps(files)).replace("IDLE_WAIT_MS", str(IDLE_WAIT_MS))


def load_element_code() -> None:
    """Ask the browser to load the other pages' element code when it is idle (once per browser tab)."""
    st.html(_script(), unsafe_allow_javascript=True)
