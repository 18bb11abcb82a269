import { notifications } from '@mantine/notifications';
import { ApiError, problemMessage } from '@/lib/api/problem';

export function errorMessage(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return problemMessage(undefined);
}

export function notifyError(err: unknown, title = 'Something went wrong') {
  const apiTitle = err instanceof ApiError && err.problem.detail && err.problem.title ? err.problem.title : title;
  notifications.show({ color: 'red', title: apiTitle, message: errorMessage(err), autoClose: 8000 });
}

export function notifySuccess(message: string) {
  notifications.show({ color: 'teal', message, autoClose: 4000 });
}
