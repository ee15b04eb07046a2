"""JavaScript the browser test runs inside the JupyterLab page, and the CSS selectors it uses.

Kept apart so the Python driver (``jupyterlab_driver.py``) stays readable. The selectors
are the DOM classes ipywidgets 8 gives its views; nothing here knows about a lesson.
"""

# Controls, in the order the "one control per widget" check prefers them.
CONTROL_SELECTORS: dict[str, str] = {
    "slider": ".widget-slider .noUi-handle",
    "dropdown": ".widget-dropdown select",
    "toggle-buttons": ".widget-toggle-buttons .widget-toggle-button",
    "radio": ".widget-radio-box input[type=radio]",
    "select": ".widget-select select",
    "text": ".widget-text input, .widget-textarea textarea",
    "checkbox": ".widget-checkbox input[type=checkbox]",
    "toggle-button": ".widget-toggle-button:not(.widget-toggle-buttons .widget-toggle-button)",
    "button": ".widget-button:not(.widget-toggle-button)",
}
# The element whose content belongs to a control (excluded from "did the output change").
CONTROL_ROOTS = (
    ".widget-slider, .widget-dropdown, .widget-toggle-buttons, .widget-radio, .widget-select, "
    ".widget-text, .widget-textarea, .widget-checkbox, .widget-toggle-button, .widget-button, "
    ".widget-play"
)

JS_SETUP = r"""
([controlSelectors, controlRoots]) => {
  const cells = Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell'));
  window.__aigc = {cells, controlSelectors, controlRoots};
  const views = [];
  cells.forEach((cell, ci) => {
    const area = cell.querySelector(':scope .jp-Cell-outputArea');
    if (!area) return;
    // Top-level widget views: an output item whose root is a rendered ipywidget.
    area.querySelectorAll(':scope > .jp-OutputArea-child > .jp-OutputArea-output > .jupyter-widgets').forEach(el => {
      el.setAttribute('data-aigc-widget', String(views.length));
      const controls = [];
      for (const [kind, sel] of Object.entries(controlSelectors)) {
        if (el.querySelector(sel)) controls.push(kind);
      }
      views.push({cell: ci, index: views.length, classes: el.className, controls});
    });
  });
  return views;
}
"""

# A fingerprint of everything in a cell's outputs except the controls themselves.
JS_SIGNATURE = r"""
(cellIndex) => {
  const cell = window.__aigc.cells[cellIndex];
  const area = cell.querySelector(':scope .jp-Cell-outputArea');
  if (!area) return '';
  const clone = area.cloneNode(true);
  clone.querySelectorAll(window.__aigc.controlRoots).forEach(e => e.remove());
  const images = Array.from(clone.querySelectorAll('img')).map(i => i.getAttribute('src') || '');
  const canvases = Array.from(area.querySelectorAll('canvas')).filter(c => !c.closest(window.__aigc.controlRoots))
      .map(c => { try { return c.toDataURL(); } catch (e) { return 'canvas'; } });
  return JSON.stringify([clone.textContent, images, canvases]);
}
"""

# Count redraws outside the controls from now on.
JS_OBSERVE = r"""
(cellIndex) => {
  const cell = window.__aigc.cells[cellIndex];
  const area = cell.querySelector(':scope .jp-Cell-outputArea');
  if (window.__aigc.observer) window.__aigc.observer.disconnect();
  window.__aigc.mutations = 0;
  window.__aigc.lastMutation = 0;
  const roots = window.__aigc.controlRoots;
  window.__aigc.observer = new MutationObserver(records => {
    for (const r of records) {
      const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
      if (node && node.closest(roots)) continue;
      if (r.type === 'attributes' && (r.attributeName === 'style' || r.attributeName === 'class')) continue;
      window.__aigc.mutations += 1;
      window.__aigc.lastMutation = performance.now();
    }
  });
  if (area) window.__aigc.observer.observe(area, {subtree: true, childList: true, characterData: true, attributes: true});
  return true;
}
"""

JS_TAG_CONTROL = r"""
([index, selector]) => {
  document.querySelectorAll('[data-aigc-control]').forEach(e => e.removeAttribute('data-aigc-control'));
  const root = document.querySelector(`[data-aigc-widget="${index}"]`);
  if (!root) return 'missing';
  const all = (root.matches(selector) ? [root] : []).concat(Array.from(root.querySelectorAll(selector)));
  if (!all.length) return 'missing';
  // The first one a learner could use: shown, and not disabled.
  const usable = all.find(e => e.getClientRects().length > 0 && !e.disabled
      && !e.closest('[disabled], .mod-disabled'));
  if (!usable) return 'unusable';
  usable.setAttribute('data-aigc-control', '1');
  return 'ok';
}
"""

JS_SCROLLER = "document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer')"

# The notebook's scroll area: where it sits in the page and how tall its content is (CSS px).
JS_SCROLL_BOX = r"""
() => {
  const s = %s;
  const r = s.getBoundingClientRect();
  const cells = s.querySelectorAll('.jp-Cell');
  const last = cells[cells.length - 1].getBoundingClientRect().bottom - r.top + s.scrollTop;
  return {left: r.left, top: r.top, width: r.width, client: s.clientHeight, content: Math.ceil(last + 20)};
}
""" % JS_SCROLLER

JS_SCROLL_TO = "(y) => { const s = %s; s.scrollTop = y; return s.scrollTop; }" % JS_SCROLLER

JS_MUTATIONS = "() => [window.__aigc.mutations, performance.now() - window.__aigc.lastMutation]"

JS_TRACEBACKS = r"""
(cellIndex) => {
  const cells = cellIndex === null ? window.__aigc.cells : [window.__aigc.cells[cellIndex]];
  const found = [];
  for (const cell of cells) {
    const area = cell.querySelector(':scope .jp-Cell-outputArea');
    if (!area) continue;
    area.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]').forEach(e => {
      const t = e.textContent || '';
      if (t.includes('Traceback (most recent call last)') || /^\w*(Error|Exception)\b.*$/m.test(t.split('\n').filter(Boolean).slice(-1)[0] || '')) found.push(t);
    });
  }
  return found;
}
"""

# Plain-text outputs anywhere in the cells' outputs (including inside Output widgets).
JS_TEXT_OUTPUTS = r"""
() => {
  const found = [];
  window.__aigc.cells.forEach((cell, ci) => {
    const area = cell.querySelector(':scope .jp-Cell-outputArea');
    if (!area) return;
    area.querySelectorAll('[data-mime-type="text/plain"]').forEach(e => found.push([ci, e.textContent || '']));
    area.querySelectorAll('.jupyter-widgets, .jp-OutputArea-output').forEach(e => {
      if (e.children.length === 0 || e.querySelector('.jupyter-widgets') === null) {
        const t = (e.textContent || '').trim();
        if (t.startsWith('Error displaying widget') || t === 'Loading widget...') found.push([ci, t]);
      }
    });
  });
  return found;
}
"""

JS_PROMPTS = r"""
() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')).map(cell => {
  if (!cell.classList.contains('jp-CodeCell')) return null;
  const p = cell.querySelector('.jp-InputPrompt');
  return p ? p.textContent.trim() : '';
})
"""
