// The step position of a widget: which output cell (or layer) is current, and play/pause.
// DOM-free; the timer functions are injected so tests drive time by hand.
import { DEFAULT_PLAY_SPEED } from './palette.js';

export class Stepper {
  /**
   * @param {object} options
   * @param {(index: number) => void} options.onStep called after every change of index
   * @param {(playing: boolean) => void} [options.onPlayChange]
   * @param {(tick: () => void, ms: number) => any} [options.startTimer]
   * @param {(handle: any) => void} [options.stopTimer]
   */
  constructor({
    onStep,
    onPlayChange = () => {},
    startTimer = (tick, ms) => setInterval(tick, ms),
    stopTimer = (handle) => clearInterval(handle),
  }) {
    this.onStep = onStep;
    this.onPlayChange = onPlayChange;
    this.startTimer = startTimer;
    this.stopTimer = stopTimer;
    this.index = 0;
    this.count = 1;
    this.rowLength = 1;
    this.stepsPerSecond = DEFAULT_PLAY_SPEED;
    this.timer = null;
  }

  get playing() {
    return this.timer !== null;
  }

  /** New extent (e.g. after the output shape changed); keeps the index when it still fits. */
  resize(count, rowLength = count) {
    this.count = Math.max(1, count);
    this.rowLength = Math.max(1, rowLength);
    if (this.index >= this.count) this.index = this.count - 1;
  }

  goTo(index) {
    const next = Math.min(this.count - 1, Math.max(0, index));
    if (next === this.index) return false;
    this.index = next;
    this.onStep(next);
    return true;
  }

  /** Performs a keyboard.js action; returns true when it was one of ours. */
  perform(action) {
    switch (action) {
      case 'next':
        this.goTo(this.index + 1);
        return true;
      case 'prev':
        this.goTo(this.index - 1);
        return true;
      case 'next-row':
        this.goTo(this.index + this.rowLength);
        return true;
      case 'prev-row':
        this.goTo(this.index - this.rowLength);
        return true;
      case 'first':
        this.goTo(0);
        return true;
      case 'last':
        this.goTo(this.count - 1);
        return true;
      case 'toggle-play':
        this.toggle();
        return true;
      default:
        return false;
    }
  }

  play() {
    if (this.playing) return;
    if (this.index >= this.count - 1) this.goTo(0); // replay from the start
    this.timer = this.startTimer(() => this.tick(), 1000 / this.stepsPerSecond);
    this.onPlayChange(true);
  }

  pause() {
    if (!this.playing) return;
    this.stopTimer(this.timer);
    this.timer = null;
    this.onPlayChange(false);
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  setSpeed(stepsPerSecond) {
    this.stepsPerSecond = stepsPerSecond;
    if (this.playing) {
      this.stopTimer(this.timer);
      this.timer = this.startTimer(() => this.tick(), 1000 / stepsPerSecond);
    }
  }

  tick() {
    if (!this.goTo(this.index + 1)) this.pause();
  }
}
