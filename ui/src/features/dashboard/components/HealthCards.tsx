import { Anchor, Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconCircleCheck, IconAlertTriangle, IconCircleX, IconHelpCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorState } from '@/components/ErrorState';
import { statusColor, type ServiceHealth } from '@/lib/statusColors';
import { groupChecks, summarizeDatabases, useHealth, type HealthCheck, type HealthStatus } from '../api/health';

const ICONS: Record<ServiceHealth, typeof IconCircleCheck> = { healthy: IconCircleCheck, degraded: IconAlertTriangle, unhealthy: IconCircleX };
/** ASP.NET writes `Healthy`; the colours are the shared status colours. */
const styleOf = (s: HealthStatus) => {
  const status = s.toLowerCase();
  return { color: statusColor(status), Icon: (ICONS as Record<string, typeof IconCircleCheck>)[status] ?? IconHelpCircle };
};

/** Every database in one card: a one-line summary, the ones not healthy named, each one's status on demand. */
function DatabasesCard({ databases }: { databases: HealthCheck[] }) {
  const [open, setOpen] = useState(false);
  const summary = summarizeDatabases(databases);
  const s = styleOf(summary.status);
  const bad = databases.filter((d) => d.status.toLowerCase() !== 'healthy');
  return (
    <Card withBorder padding="md" data-testid="health-databases">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            Databases
          </Text>
          <Text size="sm" fw={600} mt={4}>
            {summary.text}
          </Text>
          {bad.map((d) => (
            <Text key={d.name} size="xs" c={styleOf(d.status).color}>
              {d.name.replace(/^database:/, '')}: {d.status.toLowerCase()}
              {d.description ? ` · ${d.description}` : ''}
            </Text>
          ))}
          <Anchor component="button" type="button" size="xs" mt={4} onClick={() => setOpen((o) => !o)} aria-expanded={open}>
            {open ? 'Hide details' : 'Show each database'}
          </Anchor>
        </div>
        <ThemeIcon color={s.color} variant="light" radius="xl">
          <s.Icon size={16} />
        </ThemeIcon>
      </Group>
      {open && (
        <Stack gap={2} mt="xs" data-testid="health-database-list">
          {databases.map((d) => (
            <Group key={d.name} justify="space-between" wrap="nowrap">
              <Text size="xs">{d.name.replace(/^database:/, '')}</Text>
              <Badge size="xs" variant="light" color={styleOf(d.status).color}>
                {d.status.toLowerCase()}
              </Badge>
            </Group>
          ))}
        </Stack>
      )}
    </Card>
  );
}

export function HealthCards() {
  const { data, error, isPending, refetch } = useHealth();
  if (isPending)
    return (
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        {[0, 1, 2, 3].map((i) => (
          <Skeleton key={i} height={96} radius="md" />
        ))}
      </SimpleGrid>
    );
  if (error) return <ErrorState title="Service health unavailable" error={error} onRetry={() => refetch()} />;

  const overall = styleOf(data.status);
  const { databases, others } = groupChecks(data.checks);
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} data-testid="health-cards">
      <Card withBorder padding="md">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <div>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {data.service ?? 'Service'}
            </Text>
            <Text fw={700} size="xl" tt="capitalize">
              {data.status}
            </Text>
            {data.version && (
              <Text size="xs" c="dimmed">
                version {data.version}
              </Text>
            )}
            {data.services.length > 0 && (
              <Text size="xs" c="dimmed" data-testid="health-services">
                {data.services.join(' · ')}
              </Text>
            )}
          </div>
          <ThemeIcon color={overall.color} variant="light" size="lg" radius="xl">
            <overall.Icon size={20} />
          </ThemeIcon>
        </Group>
      </Card>
      {databases.length > 0 && <DatabasesCard databases={databases} />}
      {others.map((check) => {
        const s = styleOf(check.status);
        return (
          <Card withBorder padding="md" key={check.name}>
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <div>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  {check.name}
                </Text>
                <Badge color={s.color} variant="light" mt={6}>
                  {check.status}
                </Badge>
                {check.description && (
                  <Text size="xs" c="dimmed" mt={6} lineClamp={2}>
                    {check.description}
                  </Text>
                )}
              </div>
              <ThemeIcon color={s.color} variant="light" radius="xl">
                <s.Icon size={16} />
              </ThemeIcon>
            </Group>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}
