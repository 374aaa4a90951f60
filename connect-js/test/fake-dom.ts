// The least of a browser that connect() touches: elements with attributes, children, inline style, listeners and
// focus; a window that dispatches messages and opens popups. Real browsers are the browser suite's job
// (EmbedScriptBrowserTest); this is for the rules that need no layout: options, events, timers, focus order.

type Listener = (event: any) => void;

class Listeners {
  private readonly byType = new Map<string, Listener[]>();

  addEventListener(type: string, listener: Listener): void {
    this.byType.set(type, [...(this.byType.get(type) ?? []), listener]);
  }

  removeEventListener(type: string, listener: Listener): void {
    this.byType.set(type, (this.byType.get(type) ?? []).filter((l) => l !== listener));
  }

  dispatch(type: string, event: Record<string, unknown> = {}): void {
    for (const listener of this.byType.get(type) ?? []) listener({ type, ...event });
  }

  count(type: string): number {
    return (this.byType.get(type) ?? []).length;
  }
}

export class FakeNode extends Listeners {
  parentNode: FakeElement | null = null;
}

export class FakeWindow extends Listeners {
  readonly posted: { message: any; targetOrigin: string }[] = [];
  closed = false;

  postMessage(message: any, targetOrigin: string): void {
    this.posted.push({ message, targetOrigin });
  }

  close(): void {
    this.closed = true;
  }
}

export class FakeElement extends FakeNode {
  readonly children: FakeElement[] = [];
  readonly attributes = new Map<string, string>();
  readonly style: Record<string, string> = {};
  textContent = '';
  id = '';
  type = '';
  src = '';
  title = '';
  tabIndex = -1;
  readonly contentWindow: FakeWindow | null;

  constructor(
    readonly tagName: string,
    private readonly doc: FakeDocument,
  ) {
    super();
    this.contentWindow = tagName === 'IFRAME' ? new FakeWindow() : null;
  }

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, String(value));
  }

  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }

  hasAttribute(name: string): boolean {
    return this.attributes.has(name);
  }

  removeAttribute(name: string): void {
    this.attributes.delete(name);
  }

  appendChild(child: FakeElement): FakeElement {
    if (child.parentNode) child.parentNode.removeChild(child);
    this.children.push(child);
    child.parentNode = this;
    return child;
  }

  removeChild(child: FakeElement): FakeElement {
    const i = this.children.indexOf(child);
    if (i < 0) throw new Error('not a child');
    this.children.splice(i, 1);
    child.parentNode = null;
    return child;
  }

  contains(other: FakeNode | null): boolean {
    for (let n: FakeNode | null = other; n; n = n.parentNode) if (n === this) return true;
    return false;
  }

  focus(): void {
    this.doc.activeElement = this;
    this.dispatch('focus', { target: this });
    this.doc.dispatch('focusin', { target: this });
  }

  click(): void {
    this.dispatch('click', { target: this });
  }

  /** Every element under this one, depth first, this one included. */
  all(): FakeElement[] {
    return [this, ...this.children.flatMap((c) => c.all())];
  }

  /** The text a person would read here. */
  text(): string {
    return [this.textContent, ...this.children.map((c) => c.text())].filter((t) => t).join(' ');
  }
}

export class FakeDocument extends Listeners {
  readonly documentElement: FakeElement;
  readonly body: FakeElement;
  activeElement: FakeElement;

  constructor() {
    super();
    this.documentElement = new FakeElement('HTML', this);
    this.body = this.documentElement.appendChild(new FakeElement('BODY', this));
    this.activeElement = this.body;
  }

  createElement(tag: string): FakeElement {
    return new FakeElement(tag.toUpperCase(), this);
  }

  /** Elements that have an attribute, anywhere in the page. */
  withAttribute(name: string): FakeElement[] {
    return this.documentElement.all().filter((e) => e.hasAttribute(name));
  }

  key(key: string): void {
    this.dispatch('keydown', { key });
  }
}

export interface Page {
  window: FakeWindow & Record<string, any>;
  document: FakeDocument;
  /** The popups window.open() returned, in order; set `blockPopups` to make it return null. */
  popups: FakeWindow[];
  blockPopups: boolean;
  /** A message from `source` (a frame's or popup's window) as the browser would deliver it. */
  message(source: FakeWindow, origin: string, data: unknown): void;
}

/** Installs a fresh page as the globals connect() reads; each test gets its own. */
export function installPage(href = 'https://app.acme.test/settings'): Page {
  const document = new FakeDocument();
  const window = new FakeWindow() as FakeWindow & Record<string, any>;
  const page: Page = {
    window,
    document,
    popups: [],
    blockPopups: false,
    message(source, origin, data) {
      window.dispatch('message', { source, origin, data });
    },
  };
  Object.assign(window, {
    location: { href },
    innerWidth: 1280,
    innerHeight: 900,
    screen: { availHeight: 900 },
    open() {
      if (page.blockPopups) return null;
      const popup = new FakeWindow();
      page.popups.push(popup);
      return popup;
    },
  });
  Object.assign(globalThis, { window, document, Node: FakeNode });
  return page;
}
