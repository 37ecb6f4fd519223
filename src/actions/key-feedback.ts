// The part of a Stream Deck key that press handlers use (the SDK's KeyAction has it; tests fake it).

/** A key that can flash the app's warning triangle when a press could not be carried out. */
export interface KeyFeedback {
  readonly id: string;
  showAlert(): Promise<void>;
}

/** Where handlers report why a press failed (the plugin's log; never secrets). */
export type WarnLog = (message: string) => void;
