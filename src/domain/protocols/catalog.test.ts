import { describe, expect, it } from 'vitest';
import { REQUIRED_RECIPIENTS } from '../duty-to-protect.ts';
import { BUILT_IN_PROTOCOLS, builtInProtocol } from './catalog.ts';
import { loadProtocol } from './definition.ts';
import { applyEvent, visibleSteps } from './run.ts';
import { at, walkAllPaths } from './walk.test-helpers.ts';

describe('the built-in protocols', () => {
  it('are the eight of DESIGN.md, each with a discreet title; the walkout is at version 2 (the next-session window)', () => {
    expect(BUILT_IN_PROTOCOLS.map((p) => p.key)).toEqual([
      'imminent-risk-to-self', 'threat-to-others', 'medical-emergency', 'client-walks-out',
      'client-leaves-triggered', 'clinician-emergency', 'stepping-out', 'telehealth-disconnection',
    ]);
    for (const p of BUILT_IN_PROTOCOLS) {
      expect(p.version).toBe(p.key === 'client-walks-out' ? 2 : 1);
      expect(p.discreetTitle).not.toBe(p.title);
      expect(p.source).toMatch(/\S/);
    }
  });

  it('page help at once for the emergencies that need another person now', () => {
    expect(BUILT_IN_PROTOCOLS.filter((p) => p.pagesAtOnce).map((p) => p.key)).toEqual([
      'imminent-risk-to-self', 'threat-to-others', 'medical-emergency', 'telehealth-disconnection',
    ]);
  });

  it('cite a source on every step, and reload from their JSON unchanged', () => {
    for (const p of BUILT_IN_PROTOCOLS) {
      for (const s of p.steps) expect(s.source, `${p.key}/${s.id}`).toMatch(/\S/);
      expect(loadProtocol(JSON.parse(JSON.stringify(p)))).toEqual(p);
    }
  });

  // Issue 4: "A discreet mode keeps the wording on screen neutral for a client who can see it."
  it('give every step a neutral discreet title, different from its title', () => {
    const alarming = [
      'risk', 'suicide', 'danger', '911', 'police', 'victim', 'threat', 'crisis', 'emergency',
      'hospital', 'walked out', 'triggered',
    ];
    const problems: string[] = [];
    const check = (where: string, title: string, discreet: string | undefined) => {
      if (discreet === undefined) {
        problems.push(`${where}: no discreet title`);
        return;
      }
      if (discreet.trim().toLowerCase() === title.trim().toLowerCase()) problems.push(`${where}: discreet title is the title`);
      for (const word of alarming) {
        if (discreet.toLowerCase().includes(word)) problems.push(`${where}: "${discreet}" says "${word}"`);
      }
    };
    for (const p of BUILT_IN_PROTOCOLS) {
      check(p.key, p.title, p.discreetTitle);
      for (const s of p.steps) check(`${p.key}/${s.id}`, s.title, s.discreetTitle);
    }
    expect(problems).toEqual([]);
  });

  it('put both 43.92(b) recipients in the duty-to-protect protocol, each with its legal basis', () => {
    const disclosures = builtInProtocol('threat-to-others')!.steps.filter((s) => s.kind === 'action' && s.action === 'record_disclosure');
    expect(disclosures.map((s) => s.kind === 'action' && s.recipient)).toEqual([...REQUIRED_RECIPIENTS]);
    for (const s of disclosures) expect(s.kind === 'action' && s.legalBasis).toMatch(/43\.92\(b\)/);
  });

  describe.each(BUILT_IN_PROTOCOLS.map((p) => [p.key, p] as const))('%s', (_key, def) => {
    const paths = walkAllPaths(def);

    it('completes on every path, and every step shows on some path', () => {
      const seen = new Set<string>();
      for (const w of paths) {
        for (const v of visibleSteps(w.state)) seen.add(v.definition.id);
        const done = applyEvent(w.state, { type: 'complete', at: at(99), actor: 'clinician-1' });
        expect(done.state.status).toBe('completed');
      }
      expect([...seen].sort()).toEqual(def.steps.map((s) => s.id).sort());
    });

    it('leaves every step done on each path (nothing visible left pending)', () => {
      for (const w of paths) {
        for (const v of visibleSteps(w.state)) expect(v.state.status, `${w.choices.join(' ')}: ${v.definition.id}`).toBe('done');
      }
    });
  });
});
