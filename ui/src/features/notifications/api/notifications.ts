import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, unwrap, type components } from '@/lib/api/client';
import { useInvalidating } from '@/lib/api/mutations';
import { byId } from '@/lib/api/paths';
import type { NotificationEvent } from '@/lib/notificationEvents';

export { eventLabel, NOTIFICATION_EVENT_OPTIONS as eventOptions, NOTIFICATION_EVENTS, type NotificationEvent } from '@/lib/notificationEvents';

type Schemas = components['schemas'];
export type Notification = Schemas['NotificationDto'];
export type NotificationDetail = Schemas['NotificationDetailDto'];
export type NotificationStatus = NonNullable<Schemas['NotificationStatus']>;
export type SmtpSecurity = NonNullable<Schemas['SmtpSecurity']>;
export type SmtpSettings = Schemas['SmtpSettingsDto'];
export type SmtpSettingsInput = Schemas['SmtpSettingsRequest'];
export type SmtpTestResult = Schemas['SmtpTestResult'];
export type DefaultRule = Schemas['DefaultRuleDto'];
export type Template = Schemas['TemplateDto'];
export type RenderedMessage = Schemas['RenderedMessage'];

// Records over the generated enums: a value the server adds fails the typecheck until it is listed here.
const STATUS_LABELS: Record<NotificationStatus, string> = { pending: 'Pending', sent: 'Sent', failed: 'Failed' };
const SECURITY_LABELS: Record<SmtpSecurity, string> = { none: 'None (plain SMTP)', starttls: 'STARTTLS', tls: 'TLS (implicit)' };

export const NOTIFICATION_STATUSES = Object.keys(STATUS_LABELS) as NotificationStatus[];
export const SMTP_SECURITIES = Object.keys(SECURITY_LABELS) as SmtpSecurity[];
export const statusOptions = NOTIFICATION_STATUSES.map((value) => ({ value, label: STATUS_LABELS[value] }));
export const securityOptions = SMTP_SECURITIES.map((value) => ({ value, label: SECURITY_LABELS[value] }));

const key = ['notifications'] as const;

export type NotificationsQuery = { page: number; pageSize: number; status?: string; runId?: number; event?: string };

export function useNotifications(q: NotificationsQuery) {
  return useQuery({
    queryKey: [...key, 'list', q],
    queryFn: () => unwrap(api.GET('/api/v1/notifications', { params: { query: q } })),
    placeholderData: keepPreviousData,
    // Pending mail turns into sent (or failed) on its own; the history follows.
    refetchInterval: 5_000,
  });
}

export function useNotification(id: number | null) {
  return useQuery({
    queryKey: [...key, 'detail', id],
    queryFn: () => unwrap(api.GET('/api/v1/notifications/{id}', byId(id!))),
    enabled: id != null,
    refetchInterval: (q) => (q.state.data?.status === 'pending' ? 3_000 : false),
  });
}

export function useSmtpSettings() {
  return useQuery({ queryKey: [...key, 'smtp'], queryFn: () => unwrap(api.GET('/api/v1/notifications/smtp')) });
}

export function useSaveSmtpSettings() {
  return useInvalidating([...key, 'smtp'], (body: SmtpSettingsInput) => unwrap(api.PUT('/api/v1/notifications/smtp', { body })));
}

export function useTestSmtp() {
  return useMutation({ mutationFn: (to: string) => unwrap(api.POST('/api/v1/notifications/smtp/test', { body: { to } })) });
}

export function useDefaultRule() {
  return useQuery({ queryKey: [...key, 'rule'], queryFn: () => unwrap(api.GET('/api/v1/notifications/rules/default')) });
}

export function useSaveDefaultRule() {
  return useInvalidating([...key, 'rule'], (body: { events: NotificationEvent[]; recipients: string[] }) =>
    unwrap(api.PUT('/api/v1/notifications/rules/default', { body })),
  );
}

export function useTemplate(event: NotificationEvent) {
  return useQuery({
    queryKey: [...key, 'template', event],
    queryFn: () => unwrap(api.GET('/api/v1/notifications/templates/{event}', { params: { path: { event } } })),
  });
}

export function useTemplateFields() {
  return useQuery({
    queryKey: [...key, 'template-fields'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/notifications/templates/fields'))).fields,
    staleTime: Infinity,
  });
}

export type TemplateParts = { subject: string; html: string; text: string };

export function useSaveTemplate() {
  return useInvalidating([...key, 'template'], ({ event, body }: { event: NotificationEvent; body: TemplateParts }) =>
    unwrap(api.PUT('/api/v1/notifications/templates/{event}', { params: { path: { event } }, body })),
  );
}

export function useResetTemplate() {
  return useInvalidating([...key, 'template'], (event: NotificationEvent) =>
    unwrap(api.DELETE('/api/v1/notifications/templates/{event}', { params: { path: { event } } })),
  );
}

export function previewTemplate(event: NotificationEvent, runId: number, parts: TemplateParts, signal?: AbortSignal) {
  return unwrap(api.POST('/api/v1/notifications/templates/{event}/preview', { params: { path: { event } }, body: { runId, ...parts }, signal }));
}

/** Recent runs to preview a template against (read here; features do not import each other). */
export function useRecentRuns() {
  return useQuery({
    queryKey: [...key, 'recent-runs'],
    queryFn: async () => (await unwrap(api.GET('/api/v1/runs', { params: { query: { page: 1, pageSize: 30 } } }))).items,
    staleTime: 30_000,
  });
}
