// Shapes of the aftercare API (src/modules/aftercare/aftercare.routes.ts) and small helpers.
import { request } from '../api.ts';

export interface Named { id: string; name: string }

export interface AgendaItem {
  id: string; clientId: string; text: string; appointmentId: string | null; incidentId: string | null;
  createdAt: string; createdBy: string; discussedAt: string | null; discussedBy: string | null;
}

export interface NextSessionWarning { followUpId: string; client: Named; clinician: Named; dueAt: string; message: string }

export interface ClientAgenda { items: AgendaItem[]; nextAppointment: { id: string; startsAt: string } | null; nextSessionWarnings: NextSessionWarning[] }

export interface CaringContact {
  id: string; seq: number; dueOn: string; sendAt: string; body: string; status: 'scheduled' | 'sent' | 'cancelled' | 'not_sent';
  notSentReason: string | null; editedAt: string | null; editedBy: string | null; messageId: string | null; messageStatus: string | null;
}
export interface CaringSeries {
  id: string; clientId: string; channel: 'text' | 'email'; status: 'active' | 'stopped' | 'completed'; startsOn: string; count: number;
  clinician: Named; stoppedAt: string | null; stopReason: 'client_opt_out' | 'clinician' | null; createdAt: string; contacts: CaringContact[];
}

export interface Reflection { id: string; clientId: string; incidentId: string | null; body: string; createdAt: string; updatedAt: string }

export type Fit = 'good' | 'uncertain' | 'poor';
export type Decision = 'continue' | 'adjust' | 'refer';
export interface ApproachNote {
  id: string; clientId: string; incidentId: string | null; kind: 'adjustment' | 'fit'; body: string; fit: Fit | null; decision: Decision | null;
  author: Named; createdAt: string;
}

export type ReferralStatus = 'proposed' | 'contacted' | 'accepted' | 'completed' | 'declined' | 'cancelled';
export interface Referral {
  id: string; clientId: string; incidentId: string | null; toKind: 'internal' | 'external'; toUserId: string | null; toName: string; toContact: string;
  reason: string; status: ReferralStatus; handoff: { key: string; label: string; doneAt: string | null; doneBy: string | null }[];
  createdBy: string; createdAt: string; updatedAt: string;
}

export const REFERRAL_STATUS_WORDS: Record<ReferralStatus, string> = {
  proposed: 'Proposed', contacted: 'Receiving clinician contacted', accepted: 'Accepted', completed: 'Completed', declined: 'Declined', cancelled: 'Cancelled',
};
export const FIT_WORDS: Record<Fit, string> = { good: 'Good', uncertain: 'Uncertain', poor: 'Poor' };
export const DECISION_WORDS: Record<Decision, string> = { continue: 'Continue as we are', adjust: 'Adjust the approach', refer: 'Refer' };

const clientPath = (clientId: string) => `/api/clients/${encodeURIComponent(clientId)}`;

export const aftercareApi = {
  agenda: (clientId: string, signal?: AbortSignal) => request<ClientAgenda>('GET', `${clientPath(clientId)}/agenda`, signal ? { signal } : {}),
  addAgendaItem: (clientId: string, body: { id: string; text: string; incidentId?: string }) => request<AgendaItem>('POST', `${clientPath(clientId)}/agenda`, { body }),
  markDiscussed: (itemId: string, discussed: boolean) => request<AgendaItem>('PATCH', `/api/agenda-items/${encodeURIComponent(itemId)}`, { body: { discussed } }),
  caringContacts: (clientId: string) => request<{ series: CaringSeries[] }>('GET', `${clientPath(clientId)}/caring-contacts`),
  startCaringContacts: (clientId: string, body: { channel: 'text' | 'email'; startsOn?: string; count?: number }) =>
    request<CaringSeries>('POST', `${clientPath(clientId)}/caring-contacts`, { body }),
  editCaringContact: (id: string, body: string) => request<CaringContact>('PATCH', `/api/caring-contacts/${encodeURIComponent(id)}`, { body: { body } }),
  stopCaringContacts: (seriesId: string) => request<CaringSeries>('POST', `/api/caring-contact-series/${encodeURIComponent(seriesId)}/stop`),
  reflections: (clientId: string) => request<{ reflections: Reflection[] }>('GET', `${clientPath(clientId)}/reflections`),
  writeReflection: (clientId: string, body: { id: string; body: string; incidentId?: string }) => request<Reflection>('POST', `${clientPath(clientId)}/reflections`, { body }),
  approachNotes: (clientId: string) => request<{ notes: ApproachNote[] }>('GET', `${clientPath(clientId)}/approach-notes`),
  writeApproachNote: (clientId: string, body: Record<string, unknown>) => request<ApproachNote>('POST', `${clientPath(clientId)}/approach-notes`, { body }),
  referrals: (clientId: string) => request<{ referrals: Referral[] }>('GET', `${clientPath(clientId)}/referrals`),
  refer: (clientId: string, body: Record<string, unknown>) => request<Referral>('POST', `${clientPath(clientId)}/referrals`, { body }),
  updateReferral: (id: string, body: Record<string, unknown>) => request<Referral>('PATCH', `/api/referrals/${encodeURIComponent(id)}`, { body }),
};
