/**
 * The page tone: a short two-note chime made with WebAudio (no audio files), played
 * twice. Browsers keep sound off until the person has clicked or pressed a key on the
 * page (autoplay policy); then `playPageTone` answers false and `unlockSound`, called
 * from such a gesture, turns it on.
 */

type AudioContextClass = typeof AudioContext;

let context: AudioContext | null = null;

function hasBeenActive(): boolean {
  const activation = (navigator as Navigator & { userActivation?: { hasBeenActive: boolean } }).userActivation;
  // Browsers without the API: try, and let the context's state tell.
  return activation ? activation.hasBeenActive : true;
}

function audioContext(): AudioContext | null {
  if (context) return context;
  const Ctor: AudioContextClass | undefined =
    window.AudioContext ?? (window as Window & { webkitAudioContext?: AudioContextClass }).webkitAudioContext;
  // Creating a context before any gesture only earns a console warning and a suspended context.
  if (!Ctor || !hasBeenActive()) return null;
  try {
    context = new Ctor();
  } catch {
    return null;
  }
  return context;
}

/** Resumes a suspended context; before a gesture `resume()` may never settle, so don't wait long. */
async function running(ctx: AudioContext): Promise<boolean> {
  if (ctx.state === 'running') return true;
  try {
    await Promise.race([ctx.resume(), new Promise((resolve) => setTimeout(resolve, 300))]);
  } catch {
    return false;
  }
  return (ctx.state as string) === 'running';
}

/** Plays the chime; false when the browser keeps sound off for now. */
export async function playPageTone(): Promise<boolean> {
  const ctx = audioContext();
  if (!ctx || !(await running(ctx))) return false;
  try {
    const start = ctx.currentTime + 0.05;
    const notes: [number, number][] = [
      [0, 659.25], // E5
      [0.28, 880], // A5
      [0.8, 659.25],
      [1.08, 880],
    ];
    for (const [at, frequency] of notes) note(ctx, start + at, frequency);
    return true;
  } catch {
    return false;
  }
}

function note(ctx: AudioContext, at: number, frequency: number, shape = { peak: 0.3, attack: 0.02, decay: 0.26 }): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'sine';
  osc.frequency.value = frequency;
  // A soft attack and a quick decay: noticeable, not harsh.
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(shape.peak, at + shape.attack);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + shape.decay);
  osc.connect(gain).connect(ctx.destination);
  osc.start(at);
  osc.stop(at + shape.decay + 0.04);
}

/**
 * One soft note, once: an urgent call reaching a session. Noticeable to the clinician, not
 * alarming to the client in the room (the page tone is louder and repeats). Silent until
 * the person has clicked or pressed a key; the banner is the alert either way.
 */
export async function playSoftNote(): Promise<boolean> {
  const ctx = audioContext();
  if (!ctx || !(await running(ctx))) return false;
  try {
    note(ctx, ctx.currentTime + 0.05, 587.33, { peak: 0.12, attack: 0.04, decay: 0.9 }); // D5
    return true;
  } catch {
    return false;
  }
}

/** Call from a click or key press: sound may start from now on. */
export async function unlockSound(): Promise<boolean> {
  const ctx = audioContext();
  return ctx ? running(ctx) : false;
}
