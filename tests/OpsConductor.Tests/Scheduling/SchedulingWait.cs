using System.Net;
using System.Text.Json;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Scheduling;

/// <summary>Polls the API until a schedule (or its occurrences) gets there; not a timing assertion, only a deadline.</summary>
public static class SchedulingWait
{
    public static async Task<List<JsonElement>> OccurrencesAsync(ApiClient client, long scheduleId, Func<List<JsonElement>, bool> until, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        List<JsonElement> list = [];
        while (DateTime.UtcNow < deadline)
        {
            list = await AllOccurrencesAsync(client, scheduleId);
            if (until(list))
            {
                return list;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"schedule {scheduleId}'s occurrences did not get there in {seconds} s: {string.Join(", ", list)}");
    }

    public static async Task<List<JsonElement>> AllOccurrencesAsync(ApiClient client, long scheduleId)
    {
        var all = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var body = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync($"/api/v1/schedules/{scheduleId}/occurrences?page={page}&pageSize=500"));
            var items = body.GetProperty("items").EnumerateArray().ToList();
            all.AddRange(items);
            if (all.Count >= body.GetProperty("total").GetInt32() || items.Count == 0)
            {
                return all;
            }
        }
    }

    public static async Task<JsonElement> ScheduleAsync(ApiClient client, long scheduleId, Func<JsonElement, bool> until, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        JsonElement schedule = default;
        while (DateTime.UtcNow < deadline)
        {
            schedule = await client.ExpectAsync(HttpStatusCode.OK, client.GetAsync($"/api/v1/schedules/{scheduleId}"));
            if (until(schedule))
            {
                return schedule;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"schedule {scheduleId} did not get there in {seconds} s: {schedule}");
    }
}
