// The editable list of candidates: one text box each, add, remove, and paste several at
// once (separated by blank lines). Labels and ids follow the position, so a screen reader
// says "Candidate 2" for the second box after any edit.
import { byId, el } from './dom';
import { splitPasted } from './presets';

export class CandidatesEditor {
  private readonly list = byId<HTMLOListElement>('candidate-list');
  private readonly addButton = byId<HTMLButtonElement>('add-candidate');
  private readonly pasteArea = byId<HTMLTextAreaElement>('paste-area');
  private readonly pasteAdd = byId<HTMLButtonElement>('paste-add');
  private readonly pasteReplace = byId<HTMLButtonElement>('paste-replace');
  private readonly pasteStatus = byId('paste-status');
  private readonly listeners = new Set<() => void>();

  constructor() {
    this.addButton.addEventListener('click', () => {
      this.append('');
      this.renumber();
      this.boxes().at(-1)?.focus();
    });
    this.pasteAdd.addEventListener('click', () => this.paste(false));
    this.pasteReplace.addEventListener('click', () => this.paste(true));
    this.list.addEventListener('input', () => this.changed());
  }

  /** Called after every edit of the list or of a candidate's text. */
  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** The candidates' texts, empty boxes left out. */
  values(): string[] {
    return this.boxes()
      .map((box) => box.value)
      .filter((text) => text.trim() !== '');
  }

  set(texts: readonly string[]): void {
    this.list.replaceChildren();
    for (const text of texts) this.append(text);
    this.renumber();
  }

  private paste(replace: boolean): void {
    const texts = splitPasted(this.pasteArea.value);
    if (texts.length === 0) {
      this.pasteStatus.textContent = 'Nothing to add: type or paste candidates separated by a blank line.';
      return;
    }
    if (replace) this.list.replaceChildren();
    // Empty boxes would sit between the old and the pasted candidates: drop them.
    for (const box of this.boxes()) if (box.value.trim() === '') box.closest('li')?.remove();
    for (const text of texts) this.append(text);
    this.pasteArea.value = '';
    this.renumber();
    this.pasteStatus.textContent = `${replace ? 'Replaced the list with' : 'Added'} ${texts.length} candidate${texts.length === 1 ? '' : 's'}.`;
  }

  private append(text: string): void {
    const box = el('textarea', { className: 'candidate-text-input', attrs: { rows: '2' } });
    box.value = text;
    const remove = el('button', { className: 'icon secondary remove-candidate', text: '✕', attrs: { type: 'button' } });
    const item = el('li', { className: 'candidate-row' }, [el('label', { className: 'candidate-label' }), box, remove]);
    remove.addEventListener('click', () => {
      const next = item.nextElementSibling ?? item.previousElementSibling;
      item.remove();
      this.renumber();
      // Keep the keyboard user in the list rather than dropping focus to the page.
      (next?.querySelector('textarea') ?? this.addButton).focus();
    });
    this.list.append(item);
  }

  private renumber(): void {
    [...this.list.children].forEach((item, i) => {
      const n = i + 1;
      const box = item.querySelector('textarea')!;
      box.id = `candidate-${n}`;
      box.name = `candidate-${n}`;
      const label = item.querySelector('label')!;
      label.htmlFor = box.id;
      label.textContent = `${n}`;
      // The visible label is the number; the box's name says what it is.
      box.setAttribute('aria-label', `Candidate ${n}`);
      item.querySelector('button')!.setAttribute('aria-label', `Remove candidate ${n}`);
    });
    this.changed();
  }

  private boxes(): HTMLTextAreaElement[] {
    return [...this.list.querySelectorAll('textarea')];
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
