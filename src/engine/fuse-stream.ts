import type { FuseTokenizer } from './fuse-prompt';

/**
 * One input's streamed text. Decoding a longer token list can rewrite the tail of the
 * text: half a character becomes a whole one, and the tokenizer's clean-up removes the
 * space before punctuation that arrives next (" ," -> ","). So a piece never ends in
 * U+FFFD and never includes the last space and what follows it: what was sent stays a
 * prefix of the final text, and `finish` sends the rest.
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
    let text = this.tokenizer.decode(this.tokens, true);
    // The rest of that character is still to come.
    if (text.endsWith('\uFFFD')) text = text.slice(0, -1);
    // Clean-up only ever removes a space, and only right before the newest token.
    const lastSpace = text.lastIndexOf(' ');
    this.send(lastSpace >= 0 ? text.slice(0, lastSpace) : text);
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
