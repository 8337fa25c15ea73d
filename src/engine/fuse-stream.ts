import type { FuseTokenizer } from './fuse-prompt';

/**
 * One input's streamed text. Decoding token by token can rewrite the tail of the text (a
 * piece of a multi-byte character, spaces cleaned up around punctuation), so it emits only
 * growth of what it already emitted: the pieces always concatenate to a prefix of the
 * final text, and `finish` sends the rest.
 */
export class FuseTextStream {
  private readonly tokens: number[] = [];
  private emitted = '';
  private ended = false;

  constructor(
    private readonly tokenizer: FuseTokenizer,
    private readonly eosTokenId: number,
    private readonly emit: (text: string) => void,
  ) {}

  /** A generated token (greedy); tokens after eos (the padding of a finished row) are ignored. */
  push(token: number): void {
    if (this.ended) return;
    if (token === this.eosTokenId) {
      this.ended = true;
      return;
    }
    this.tokens.push(token);
    const text = this.tokenizer.decode(this.tokens, true);
    // Hold back a trailing U+FFFD: the rest of that character is still to come.
    this.send(text.endsWith('\uFFFD') ? text.slice(0, -1) : text);
  }

  /** The final text: whatever of it was not sent yet. */
  finish(text: string): void {
    this.send(text);
  }

  private send(text: string): void {
    if (text.length <= this.emitted.length || !text.startsWith(this.emitted)) return;
    const piece = text.slice(this.emitted.length);
    this.emitted = text;
    this.emit(piece);
  }
}
