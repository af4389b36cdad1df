/**
 * One soft note when an urgent call reaches a session: noticeable to the clinician,
 * not alarming to the client in the room (the page tone is louder and repeats). Browsers
 * keep sound off until the person has clicked or pressed a key; then this stays silent.
 */
let context: AudioContext | null = null;

export function playSoftChime(): void {
  try {
    const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
    if (activation && !activation.hasBeenActive) return;
    context ??= new AudioContext();
    const ctx = context;
    if (ctx.state !== 'running') void ctx.resume().catch(() => undefined);
    const at = ctx.currentTime + 0.05;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = 587.33; // D5
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.12, at + 0.04);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.9);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + 1);
  } catch {
    // No sound is fine: the banner is the alert.
  }
}
