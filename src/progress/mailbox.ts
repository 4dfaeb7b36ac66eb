/** A value that arrives later, keyed by id: the walk runs ahead of the display. */
export class Mailbox<T> {
  private readonly boxes = new Map<string, { promise: Promise<T | undefined>; settle: (v: T | undefined) => void }>();

  private box(id: string) {
    let entry = this.boxes.get(id);
    if (!entry) {
      let settle: (v: T | undefined) => void = () => undefined;
      const promise = new Promise<T | undefined>((resolve) => {
        settle = resolve;
      });
      entry = { promise, settle };
      this.boxes.set(id, entry);
    }
    return entry;
  }

  take(id: string): Promise<T | undefined> {
    return this.box(id).promise;
  }

  put(id: string, value: T | undefined): void {
    this.box(id).settle(value);
  }
}
