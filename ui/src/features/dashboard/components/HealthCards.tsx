import { Badge, Card, Group, SimpleGrid, Skeleton, Text, ThemeIcon } from '@mantine/core';
import { IconCircleCheck, IconAlertTriangle, IconCircleX, IconHelpCircle } from '@tabler/icons-react';
import { ErrorState } from '@/components/ErrorState';
import { statusColor, type ServiceHealth } from '@/lib/statusColors';
import { useHealth, type HealthStatus } from '../api/health';

const ICONS: Record<ServiceHealth, typeof IconCircleCheck> = { healthy: IconCircleCheck, degraded: IconAlertTriangle, unhealthy: IconCircleX };
/** ASP.NET writes `Healthy`; the colours are the shared status colours. */
const styleOf = (s: HealthStatus) => {
  const status = s.toLowerCase();
  return { color: statusColor(status), Icon: (ICONS as Record<string, typeof IconCircleCheck>)[status] ?? IconHelpCircle };
};

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
      {data.checks.map((check) => {
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
