import { Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text, Tooltip } from '@mantine/core';
import { useMemo } from 'react';
import { ErrorState } from '@/components/ErrorState';
import { calendarDays } from '../api/calendar';
import { browserZone } from '../api/cron';
import { useBlackoutCalendar } from '../api/schedules';

const COLORS = ['red', 'orange', 'grape', 'violet', 'indigo', 'cyan', 'pink', 'lime'];
const weekday = (date: string) => new Date(`${date}T12:00:00Z`).toLocaleDateString(undefined, { weekday: 'short', timeZone: 'UTC' });

/** The next `days` days (in the browser's zone), each with the windows in force and when. */
export function BlackoutCalendarView({ days = 30 }: { days?: number }) {
  const cal = useBlackoutCalendar(days);
  const zone = browserZone();
  const grid = useMemo(() => (cal.data ? calendarDays(cal.data.from, days, cal.data.windows, zone) : []), [cal.data, days, zone]);
  const colorOf = useMemo(() => {
    const ids = (cal.data?.windows ?? []).map((w) => w.windowId);
    return (id: number) => COLORS[Math.max(0, ids.indexOf(id)) % COLORS.length];
  }, [cal.data]);
  if (cal.isPending) return <Skeleton height={240} />;
  if (cal.isError) return <ErrorState error={cal.error} onRetry={() => cal.refetch()} />;
  return (
    <Stack gap="xs">
      <Text size="xs" c="dimmed">
        Times in your zone ({zone}).
      </Text>
      <SimpleGrid cols={{ base: 2, sm: 4, md: 7 }} spacing={6} data-testid="blackout-calendar">
        {grid.map((d) => (
          <Card key={d.date} withBorder padding={6} bg={d.windows.length ? 'var(--mantine-color-red-light)' : undefined} data-date={d.date}>
            <Group justify="space-between" gap={2}>
              <Text size="xs" fw={600}>
                {d.date.slice(5)}
              </Text>
              <Text size="xs" c="dimmed">
                {weekday(d.date)}
              </Text>
            </Group>
            <Stack gap={2} mt={4}>
              {d.windows.map((w) => (
                <Tooltip key={w.windowId} label={w.spans.map((s) => `${s.from}–${s.to}`).join(', ')}>
                  <Badge size="xs" color={colorOf(w.windowId)} variant="filled" fullWidth style={{ textTransform: 'none' }}>
                    {w.name} {w.spans.length === 1 && w.spans[0].from === '00:00' && w.spans[0].to === '24:00' ? '' : w.spans[0].from}
                  </Badge>
                </Tooltip>
              ))}
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
