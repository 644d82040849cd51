// CnnElement: what every widget shares. A subclass declares
//   static schema      its attributes (attributes.js specs); each reflects to a camelCase property
//   static css         its own styles (the shared sheet comes from styles.js)
//   static exercises   { kind: question } for exercise="<kind>"
//   static label       the host's accessible name
//   static keepsAnswer attributes whose change keeps a revealed answer shown (default: step)
// (a question or the label may be a message key of web/i18n: it is then shown translated)
// and implements
//   build()                      creates its shadow DOM once the core is loaded
//   update(state, changed)       redraws; `changed` names the attributes changed since last time
//   exerciseAnswer(kind)         { expected: number[], text } computed by the core
//   resize(widthPx)              fits its grids and canvases
//
// Shared behaviour (documented for teachers in web/widgets/README.md):
//   url-state="<prefix>"  mirrors the state into the page URL under "<prefix>." (empty: no prefix)
//   hide="a b"            hides the controls or panels named a and b (data-control names)
//   lock="a b"            shows them but disables them; the URL cannot change a locked value
//   exercise="<kind>"     predict-then-reveal
//   loading="eager"       starts at once instead of when scrolled near the viewport
//   lang="zh"             the language of its text (en or zh; default: the page's <html lang>).
//                         Strings come from web/i18n through this.t(key, vars); a change of
//                         language rebuilds the shadow DOM from the attributes, which hold the state.
// Events: `cnn-change` (detail: { changed, state }) after a user action, never after a
// programmatic change; `cnn-ready` once the core is loaded and the widget drawn; `cnn-answer`
// (detail: { kind, correct }) when the learner checks a prediction.
import { load } from '../cnn.js';
import { parseAll, propertyName, formatAttribute, parseNameList } from './attributes.js';
import { readUrlState, shareableUrl, writeUrlState } from './url-state.js';
import { keyAction } from './keyboard.js';
import { checkAnswer } from './exercise.js';
import { sharedStyleSheet, styleSheet } from './styles.js';
import { button, h } from './controls.js';
import { formatNumber, hasMessage, languageOf, message } from '../i18n/index.js';

const COMMON_ATTRIBUTES = ['url-state', 'hide', 'lock', 'exercise', 'loading'];
const LOADING_VALUES = ['lazy', 'eager'];
const URL_WRITE_DELAY_MS = 250; // browsers throttle history.replaceState bursts

/** Started widgets, told when the page's <html lang> changes (a widget's own lang wins). */
const connectedWidgets = new Set();
let pageLanguageObserver = null;
function watchPageLanguage() {
  if (pageLanguageObserver || typeof MutationObserver === 'undefined') return;
  pageLanguageObserver = new MutationObserver(() => {
    for (const widget of connectedWidgets) widget.languageChanged();
  });
  pageLanguageObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
}

export class CnnElement extends HTMLElement {
  static schema = {};
  static css = '';
  static exercises = {};
  static label = 'shared.widget';
  static keepsAnswer = ['step'];

  static get observedAttributes() {
    return [...Object.keys(this.schema), ...COMMON_ATTRIBUTES, 'lang']; // lang: HTMLElement's own property
  }

  /** Every reflected property: the schema's attributes and the shared ones, camelCased. */
  static get reflectedProperties() {
    return [...Object.keys(this.schema), ...COMMON_ATTRIBUTES].map(propertyName);
  }

  /**
   * Defines the reflecting properties and registers the tag (once). A property set is an
   * attribute set: the value is checked when the attribute is parsed, like any attribute text,
   * and a bad one is explained next to the controls, never thrown at a later refresh.
   */
  static define(tag) {
    if (customElements.get(tag)) return;
    for (const [name, spec] of Object.entries(this.schema)) {
      Object.defineProperty(this.prototype, propertyName(name), {
        get() {
          return this.state[propertyName(name)];
        },
        set(value) {
          const text = formatAttribute(spec, value);
          if (text === null) this.removeAttribute(name);
          else this.setAttribute(name, text);
        },
        configurable: true,
      });
    }
    for (const name of COMMON_ATTRIBUTES) {
      Object.defineProperty(this.prototype, propertyName(name), {
        get() {
          return this.getAttribute(name);
        },
        set(value) {
          if (value === null || value === undefined || value === false) this.removeAttribute(name);
          else this.setAttribute(name, value === true ? '' : String(value));
        },
        configurable: true,
      });
    }
    this.ownSheet = this.css ? styleSheet(this.css) : null;
    customElements.define(tag, this);
  }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.adoptedStyleSheets = [
      sharedStyleSheet(),
      ...(this.constructor.ownSheet ? [this.constructor.ownSheet] : []),
    ];
    this.started = false;
    this.changedSinceUpdate = new Set();
    this.refreshQueued = false;
    this.committing = false;
    this.revealed = false;
    this.urlTimer = null;
    this.width = null; // content width, from the ResizeObserver
    this.handleHostKey = this.handleHostKey.bind(this);
    const t = this.t.bind(this); // handed to shared and model modules as their translate function
    Object.defineProperty(t, 'language', { get: () => this.language });
    this.t = t;
    this.ready = new Promise((resolve) => {
      this.resolveReady = resolve;
    });
  }

  connectedCallback() {
    this.upgradeProperties();
    if (!this.hasAttribute('tabindex')) this.tabIndex = 0;
    // The host is a tab stop (its keys step the widget), so it is a named group, not an anonymous one.
    if (!this.hasAttribute('role')) this.setAttribute('role', 'group');
    if (!this.hasAttribute('aria-label') && !this.hasAttribute('aria-labelledby')) {
      this.ownLabel = true; // ours, so it follows the language
      this.setAttribute('aria-label', this.localText(this.constructor.label));
    }
    this.addEventListener('keydown', this.handleHostKey);
    connectedWidgets.add(this);
    watchPageLanguage();
    if (this.started || this.starting) {
      this.observeSize();
      return;
    }
    this.shadowRoot.replaceChildren(h('p', 'loading', this.t('shared.loading')));
    if (this.getAttribute('loading') === 'eager' || typeof IntersectionObserver === 'undefined') {
      this.start();
      return;
    }
    this.visibility = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          this.visibility.disconnect();
          this.start();
        }
      },
      { rootMargin: '300px' },
    );
    this.visibility.observe(this);
  }

  disconnectedCallback() {
    this.removeEventListener('keydown', this.handleHostKey);
    connectedWidgets.delete(this);
    this.visibility?.disconnect();
    this.sizeObserver?.disconnect();
    this.stepper?.pause();
    clearTimeout(this.urlTimer);
    this.urlTimer = null;
  }

  /**
   * A property set on the element before its class was defined is an own property that hides
   * the reflecting accessor: take it off and set it again through the accessor (the custom
   * elements "lazy properties" pattern).
   */
  upgradeProperties() {
    for (const property of this.constructor.reflectedProperties) {
      if (!Object.hasOwn(this, property)) continue;
      const value = this[property];
      delete this[property];
      this[property] = value;
    }
  }

  /** en or zh: the widget's lang attribute, else the closest one above it (the page's). */
  get language() {
    return languageOf(this);
  }

  /** The message `key` in the widget's language (web/i18n). */
  t(key, vars) {
    return message(this.language, key, vars);
  }

  /** `text` translated when it is a message key, else as given (static label, exercise questions). */
  localText(text) {
    return hasMessage(text) ? this.t(text) : text;
  }

  /** An exercise's question in the widget's language. */
  exerciseQuestion(kind) {
    return this.localText(this.constructor.exercises[kind]);
  }

  /** A number written for the widget's language. */
  formatNumber(value, decimals) {
    return formatNumber(this.language, value, decimals);
  }

  /**
   * The language may have changed (own lang attribute or the page's): rebuild the shadow DOM in
   * it. A widget whose DOM holds more than its attributes (the lab's runs) overrides this.
   */
  languageChanged() {
    const language = this.language;
    if (language === this.builtLanguage) return;
    if (!this.started) {
      if (!this.starting) this.shadowRoot.replaceChildren(h('p', 'loading', this.t('shared.loading')));
      return;
    }
    this.stepper?.pause();
    // What the learner did that the attributes do not hold: a revealed answer and a typed guess.
    const { revealed } = this;
    const guess = this.exerciseForm?.input.value ?? '';
    this.render();
    for (const name of Object.keys(this.constructor.schema)) this.changedSinceUpdate.add(name);
    this.applyTeacherControls();
    this.refresh();
    this.revealed = revealed;
    if (this.exerciseForm) {
      this.exerciseForm.input.value = guess;
      this.refreshExercise();
    }
    if (this.width !== null) this.resize(this.width);
  }

  attributeChangedCallback(name) {
    if (name === 'lang') {
      this.languageChanged();
      return;
    }
    if (name === 'hide' || name === 'lock') {
      if (this.started) this.applyTeacherControls();
      return;
    }
    if (name === 'exercise' && this.started) {
      this.exerciseForm?.element.remove();
      this.exerciseForm = null;
      for (const element of this.shadowRoot.querySelectorAll('.concealed')) element.classList.remove('concealed');
      this.buildExercise();
      this.applyTeacherControls();
    }
    this.changedSinceUpdate.add(name);
    if (!this.started || this.committing || this.refreshQueued) return;
    this.refreshQueued = true;
    queueMicrotask(() => {
      this.refreshQueued = false;
      if (this.changedSinceUpdate.size) this.refresh();
    });
  }

  async start() {
    this.starting = true;
    this.applyUrlState();
    try {
      this.cnn = await load();
    } catch (error) {
      this.shadowRoot.replaceChildren(h('p', 'error', this.t('shared.core-failed', { reason: error.message })));
      throw error;
    }
    this.render();
    this.started = true;
    this.starting = false;
    this.applyTeacherControls();
    this.observeSize();
    this.refresh();
    this.resolveReady();
    this.dispatchEvent(new CustomEvent('cnn-ready', { bubbles: true, composed: true }));
  }

  /** The shadow DOM in the widget's language: problems note, the widget's build(), exercise, live region. */
  render() {
    this.builtLanguage = this.language;
    if (this.ownLabel) this.setAttribute('aria-label', this.localText(this.constructor.label));
    this.problemsNote = h('p', 'error');
    this.problemsNote.hidden = true;
    this.liveRegion = h('p', 'visually-hidden');
    this.liveRegion.setAttribute('role', 'status');
    this.liveRegion.setAttribute('aria-live', 'polite');
    this.exerciseForm = null;
    this.shadowRoot.replaceChildren(this.problemsNote);
    this.build();
    this.buildExercise();
    this.shadowRoot.append(this.liveRegion);
  }

  /** Typed values of every schema attribute. */
  get state() {
    return parseAll(this.constructor.schema, (name) => this.getAttribute(name)).state;
  }

  refresh() {
    const { state, problems } = parseAll(this.constructor.schema, (name) => this.getAttribute(name), this.t);
    problems.push(...this.sharedAttributeProblems());
    const changed = this.changedSinceUpdate;
    this.changedSinceUpdate = new Set();
    this.problemsNote.textContent = problems.join(' ');
    this.problemsNote.hidden = problems.length === 0;
    this.update(state, changed);
    if ([...changed].some((name) => !this.constructor.keepsAnswer.includes(name))) this.revealed = false;
    this.refreshExercise();
  }

  /** Why a shared attribute's text is not used (exercise and loading take one of their values). */
  sharedAttributeProblems() {
    const problems = [];
    const kinds = Object.keys(this.constructor.exercises);
    const exercise = this.getAttribute('exercise');
    if (exercise !== null && !Object.hasOwn(this.constructor.exercises, exercise))
      problems.push(
        kinds.length
          ? this.t('shared.exercise-not-one-of', { text: exercise, kinds: kinds.join(', ') })
          : this.t('shared.exercise-none', { text: exercise }),
      );
    const loading = this.getAttribute('loading');
    if (loading !== null && !LOADING_VALUES.includes(loading))
      problems.push(this.t('shared.loading-not-one-of', { text: loading, values: LOADING_VALUES.join(', ') }));
    return problems;
  }

  /** A user action: set attributes (locked ones excepted), redraw now, update the URL, tell listeners. */
  commit(changes) {
    const schema = this.constructor.schema;
    const locked = parseNameList(this.getAttribute('lock'));
    const applied = [];
    this.committing = true;
    for (const [property, value] of Object.entries(changes)) {
      const name = Object.keys(schema).find((attribute) => propertyName(attribute) === property);
      if (!name || locked.has(name)) continue;
      const text = formatAttribute(schema[name], value);
      if (text === this.getAttribute(name)) continue;
      if (text === null) this.removeAttribute(name);
      else this.setAttribute(name, text);
      applied.push(property);
    }
    this.committing = false;
    if (!applied.length) return;
    this.refresh();
    this.scheduleUrlWrite();
    this.dispatchEvent(
      new CustomEvent('cnn-change', { detail: { changed: applied, state: this.state }, bubbles: true, composed: true }),
    );
  }

  urlPrefix() {
    const prefix = this.getAttribute('url-state');
    return prefix ? `${prefix}.` : '';
  }

  applyUrlState() {
    if (!this.hasAttribute('url-state')) return;
    const locked = parseNameList(this.getAttribute('lock'));
    const found = readUrlState(this.constructor.schema, new URLSearchParams(location.search), this.urlPrefix());
    for (const [name, text] of Object.entries(found)) {
      if (!locked.has(name))
        this.setAttribute(name, this.constructor.schema[name].type === 'bool' && text === '1' ? '' : text);
    }
  }

  scheduleUrlWrite() {
    if (!this.hasAttribute('url-state') || this.urlTimer !== null) return;
    this.urlTimer = setTimeout(() => {
      this.urlTimer = null;
      this.writeUrl();
    }, URL_WRITE_DELAY_MS);
  }

  writeUrl() {
    const schema = this.constructor.schema;
    const attributes = Object.fromEntries(Object.keys(schema).map((name) => [name, this.getAttribute(name)]));
    const params = writeUrlState(schema, attributes, new URLSearchParams(location.search), this.urlPrefix());
    const { url, problem } = shareableUrl(location, params, this.t);
    if (problem) {
      this.problemsNote.textContent = problem;
      this.problemsNote.hidden = false;
      return;
    }
    history.replaceState(history.state, '', url);
  }

  applyTeacherControls() {
    const hidden = parseNameList(this.getAttribute('hide'));
    const locked = parseNameList(this.getAttribute('lock'));
    for (const element of this.shadowRoot.querySelectorAll('[data-control]')) {
      const name = element.dataset.control;
      element.hidden = hidden.has(name);
      const isLocked = locked.has(name);
      element.setAttribute('aria-disabled', String(isLocked));
      for (const field of element.querySelectorAll('input, select, button')) field.disabled = isLocked;
      if (element.matches('input, select, button')) element.disabled = isLocked;
    }
  }

  observeSize() {
    if (typeof ResizeObserver === 'undefined' || !this.started) return;
    // The observer reports the width after layout; reading clientWidth during an update would
    // force a synchronous layout of thousands of grid cells.
    this.sizeObserver ??= new ResizeObserver(([entry]) => {
      this.width = entry.contentRect.width;
      this.resize(this.width);
    });
    this.sizeObserver.observe(this);
  }

  handleHostKey(event) {
    if (!this.stepper) return;
    const focused = this.shadowRoot.activeElement ?? this;
    const action = keyAction(event, focused.tagName);
    if (action && this.stepper.perform(action)) event.preventDefault();
  }

  /** Hook: fit grids and canvases to a new width (widgets without any keep this no-op). */
  resize() {}

  /** Sets the text of the aria-live summary. */
  announce(text) {
    if (this.liveRegion.textContent !== text) this.liveRegion.textContent = text;
  }

  // ---- predict-then-reveal ------------------------------------------------------------

  buildExercise() {
    const kind = this.getAttribute('exercise');
    if (!Object.hasOwn(this.constructor.exercises, kind)) return;
    const question = this.exerciseQuestion(kind);
    const input = h('input');
    input.setAttribute('aria-label', question);
    const feedback = h('span', 'note');
    feedback.setAttribute('aria-live', 'polite');
    const check = button(this.t('shared.check'), this.t('shared.check-title', { question }), () => {
      const answer = this.exerciseAnswer(kind);
      const result = checkAnswer(input.value, answer.expected, answer.mistakes, answer.tolerance, this.t);
      feedback.textContent = result.message;
      this.dispatchEvent(
        new CustomEvent('cnn-answer', { detail: { kind, correct: result.correct }, bubbles: true, composed: true }),
      );
      if (result.correct) this.reveal();
    });
    const reveal = button(this.t('shared.reveal'), this.t('shared.reveal-title'), () => {
      feedback.textContent = this.t('shared.answer', { answer: this.exerciseAnswer(kind).text });
      this.reveal();
    });
    const form = h(
      'div',
      'code-row',
      h('strong', '', this.t('shared.predict')),
      h('span', '', question),
      input,
      check,
      reveal,
      feedback,
    );
    this.exerciseForm = { kind, input, feedback, element: form };
    form.setAttribute('part', 'exercise');
    form.dataset.control = 'exercise';
    this.shadowRoot.insertBefore(form, this.shadowRoot.firstChild.nextSibling);
  }

  reveal() {
    this.revealed = true;
    this.refreshExercise();
  }

  refreshExercise() {
    if (!this.exerciseForm) return;
    for (const element of this.shadowRoot.querySelectorAll(`[data-reveal~="${this.exerciseForm.kind}"]`)) {
      element.classList.toggle('concealed', !this.revealed);
      element.dataset.concealed = this.t('shared.concealed');
    }
    if (!this.revealed && this.exerciseForm.answeredFor !== this.exerciseAnswer(this.exerciseForm.kind).text) {
      this.exerciseForm.answeredFor = this.exerciseAnswer(this.exerciseForm.kind).text;
      this.exerciseForm.feedback.textContent = '';
      this.exerciseForm.input.value = '';
    }
  }
}
