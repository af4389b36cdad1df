// The safety plan read-only: older versions, people who may not edit, and the printout.
import { formatPhone, telHref } from '../clients/format.ts';
import { stepLabel, type PlanContact, type PlanContent, type PlanGap, type PlanSection } from './plan.ts';

/** "Step 1: Signs that a crisis may be starting", the step number set above the title. */
export function StepHeading({ section, id }: { section: PlanSection; id?: string }) {
  const step = stepLabel(section);
  return (
    <h2 id={id} className="plan-step-heading">
      {step && (
        <span className="plan-step-label">
          {step}
          <span className="plan-sr">: </span>
        </span>
      )}
      {section.title}
    </h2>
  );
}

function ContactLine({ contact, links }: { contact: PlanContact; links: boolean }) {
  return (
    <>
      <span className="strong">{contact.name}</span>
      {contact.phone && (
        <>
          {' · '}
          {links ? (
            <a href={telHref(contact.phone)} className="plan-view-phone">
              {formatPhone(contact.phone)}
            </a>
          ) : (
            <span className="plan-view-phone">{formatPhone(contact.phone)}</span>
          )}
        </>
      )}
      {contact.note && <span className="plan-view-note"> · {contact.note}</span>}
    </>
  );
}

interface ViewProps {
  sections: PlanSection[];
  content: PlanContent;
  /** On paper: no links, and blank lines to write on where a step is empty. */
  print?: boolean;
}

export function PlanView({ sections, content, print = false }: ViewProps) {
  return (
    <div className="plan-view">
      {sections.map((section) => {
        const entries: (string | PlanContact)[] = content[section.key];
        return (
          <section key={section.key} className="plan-view-step" aria-label={print ? undefined : section.title}>
            <StepHeading section={section} />
            <p className="plan-view-prompt">{section.prompt}</p>
            {entries.length === 0 ? (
              print ? (
                <div className="plan-write-lines" aria-hidden="true">
                  <span />
                  <span />
                </div>
              ) : (
                <p className="muted">Nothing written here yet.</p>
              )
            ) : (
              <ul className="plan-view-list">
                {entries.map((entry, i) => (
                  <li key={i}>{typeof entry === 'string' ? entry : <ContactLine contact={entry} links={!print} />}</li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
    </div>
  );
}

interface GapsProps {
  gaps: PlanGap[];
  sections: PlanSection[];
  version: number;
  /** Link each gap to its step in the editor on this page. */
  linkToSteps?: boolean;
}

/** What the saved plan still lacks, in words; having no one to ask for help stands out. */
export function PlanGaps({ gaps, sections, version, linkToSteps = false }: GapsProps) {
  const ordered = [...gaps].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'serious' ? -1 : 1));
  const stepOf = (key: string) => sections.find((s) => s.key === key);
  return (
    <section aria-labelledby="completeness-heading" className="panel plan-completeness" id="completeness">
      <h2 id="completeness-heading">Completeness</h2>
      {ordered.length === 0 ? (
        <p>Every step of version {version} has something in it.</p>
      ) : (
        <>
          <p>
            Version {version} has {ordered.length === 1 ? 'one thing' : `${ordered.length} things`} to fill in with the client when
            you can.
          </p>
          <ul className="plan-gaps">
            {ordered.map((gap, i) => {
              const section = stepOf(gap.section);
              const where = section?.step ? `step ${section.step}` : section ? `“${section.title}”` : '';
              return (
                <li key={`${gap.section}-${i}`} className={gap.severity === 'serious' ? 'plan-gap plan-gap-serious' : 'plan-gap'}>
                  {gap.severity === 'serious' && <strong className="plan-gap-important">Important: </strong>}
                  {gap.message}
                  {linkToSteps && where && (
                    <>
                      {' '}
                      <a href={`#step-${gap.section}`} className="plan-gap-go">
                        Go to {where}
                      </a>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}

interface PrintProps {
  practiceName: string;
  clientName: string;
  sections: PlanSection[];
  content: PlanContent;
  /** "Version 3, 12 Mar 2026" or "Not saved yet". */
  versionText: string;
}

/** Only on paper: the plan on its own, large and plain, headed with the practice's name. */
export function PrintablePlan({ practiceName, clientName, sections, content, versionText }: PrintProps) {
  return (
    <div className="plan-print">
      <p className="plan-print-practice">{practiceName}</p>
      <h1>Safety plan for {clientName}</h1>
      <p className="plan-print-version">{versionText}</p>
      <PlanView sections={sections} content={content} print />
      <p className="plan-print-footer">If you are in danger right now, call 911. You can call or text 988 at any time, day or night.</p>
    </div>
  );
}
