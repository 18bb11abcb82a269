using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

// LargeSeed DB TARGETS JOBS RUNS CREDENTIAL_ID
// Writes rows the way the services store them (timestamps through EF's DateTimeOffset converter).
var (db, targets, jobs, runs, credentialId) = (args[0], int.Parse(args[1]), int.Parse(args[2]), int.Parse(args[3]), long.Parse(args[4]));
var toBinary = new DateTimeOffsetToBinaryConverter();
long T(DateTimeOffset d) => (long)toBinary.ConvertToProvider(d)!;
var now = DateTimeOffset.UtcNow;
var random = new Random(42);
var clock = Stopwatch.StartNew();
using var connection = new SqliteConnection($"Data Source={db}");
connection.Open();

void Bulk(string sql, int count, Action<SqliteCommand, int> bind)
{
    using var tx = connection.BeginTransaction();
    using var command = connection.CreateCommand();
    command.Transaction = tx;
    command.CommandText = sql;
    command.Prepare();
    for (var i = 0; i < count; i++)
    {
        bind(command, i);
        command.ExecuteNonQuery();
        command.Parameters.Clear();
    }
    tx.Commit();
}

// The targets service stores its enums by name.
string[] statuses = ["Healthy", "Healthy", "Healthy", "Healthy", "Unreachable", "AuthFailed", "Unknown"];
Bulk("""
    INSERT INTO targets (Name, NormalizedName, Hostname, Port, OsType, Connection, CredentialId, WinRmUseHttps, WinRmVerifyCertificate,
      Status, CreatedAt, UpdatedAt, OsName, OsVersion)
    VALUES ($n, $nn, $h, 22, 'Linux', 'Ssh', $c, 0, 1, $s, $t, $t, 'Debian GNU/Linux', '12')
    """, targets, (c, i) =>
{
    var name = $"srv-{i:00000}";
    c.Parameters.AddWithValue("$n", name);
    c.Parameters.AddWithValue("$nn", name);
    c.Parameters.AddWithValue("$h", $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}");
    c.Parameters.AddWithValue("$c", credentialId);
    c.Parameters.AddWithValue("$s", statuses[i % statuses.Length]);
    c.Parameters.AddWithValue("$t", T(now.AddDays(-random.Next(1, 400))));
});
var firstTarget = (long)new SqliteCommand("SELECT min(Id) FROM targets WHERE Name LIKE 'srv-%'", connection).ExecuteScalar()!;
string[] tags = ["web", "db", "cache", "prod", "staging", "eu", "us"];
Bulk("INSERT INTO target_tags (TargetId, Tag) VALUES ($id, $tag)", targets * 2, (c, i) =>
{
    c.Parameters.AddWithValue("$id", firstTarget + i / 2);
    c.Parameters.AddWithValue("$tag", i % 2 == 0 ? tags[(i / 2) % 3] : tags[3 + (i / 2) % 4]);
});
Console.WriteLine($"{targets} targets in {clock.Elapsed.TotalSeconds:0.0} s");

const string definition = """{"name":"NAME","parameters":[{"name":"path","type":"string","required":false,"default":"/"}],"steps":[{"name":"df","type":"command","script":"df -h {{path}}","continueOnError":false,"retries":0}],"targets":{"targetIds":[],"tags":["web"]},"maxParallelTargets":50,"allowConcurrentRuns":true,"retries":0,"retryBackoffSeconds":10}""";
Bulk("""
    INSERT INTO jobs (Name, NormalizedName, Description, DefinitionJson, CreatedBy, CreatedAt, UpdatedAt)
    VALUES ($n, $n, 'Seeded job', $d, 'admin', $t, $t)
    """, jobs, (c, i) =>
{
    var name = $"job-{i:00000}";
    c.Parameters.AddWithValue("$n", name);
    c.Parameters.AddWithValue("$d", definition.Replace("NAME", name));
    c.Parameters.AddWithValue("$t", T(now.AddDays(-random.Next(1, 400))));
});
var firstJob = (long)new SqliteCommand("SELECT min(Id) FROM jobs WHERE Name LIKE 'job-%'", connection).ExecuteScalar()!;
Console.WriteLine($"{jobs} jobs in {clock.Elapsed.TotalSeconds:0.0} s");

// Runs spread over the last 90 days, oldest first (ids grow with time, as in real use).
string[] outcomes = ["succeeded", "succeeded", "succeeded", "succeeded", "succeeded", "succeeded", "failed", "failed", "cancelled", "timed_out"];
var span = TimeSpan.FromDays(90);
Bulk("""
    INSERT INTO job_runs (JobId, JobName, Status, "Trigger", RequestedBy, QueuedAt, StartedAt, FinishedAt, ParametersJson, SealedParameters,
      JobSnapshotJson, AllowConcurrentRuns, CancelRequested, AnyTargetStarted)
    VALUES ($j, $jn, $s, $tr, 'admin', $q, $st, $f, '{"path":"/"}', 'plain:{"path":"/"}', $snap, 1, 0, 1)
    """, runs, (c, i) =>
{
    var job = random.Next(jobs);
    var queued = now - span + span * ((double)i / runs);
    c.Parameters.AddWithValue("$j", firstJob + job);
    c.Parameters.AddWithValue("$jn", $"job-{job:00000}");
    c.Parameters.AddWithValue("$s", outcomes[random.Next(outcomes.Length)]);
    c.Parameters.AddWithValue("$tr", i % 5 == 0 ? "schedule" : "manual");
    c.Parameters.AddWithValue("$q", T(queued));
    c.Parameters.AddWithValue("$st", T(queued.AddSeconds(1)));
    c.Parameters.AddWithValue("$f", T(queued.AddSeconds(5 + random.Next(60))));
    c.Parameters.AddWithValue("$snap", definition.Replace("NAME", $"job-{job:00000}"));
});
Console.WriteLine($"{runs} runs in {clock.Elapsed.TotalSeconds:0.0} s");
new SqliteCommand("ANALYZE", connection).ExecuteNonQuery();
