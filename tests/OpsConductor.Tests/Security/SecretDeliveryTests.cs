using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Security;

/// <summary>On a real sshd target: parameter values never appear on a command line, and quoted placeholders take values literally.</summary>
public sealed class SecretDeliveryTests(FleetFixture fleet) : IClassFixture<FleetFixture>
{
    [Fact]
    public async Task A_secret_is_never_on_a_target_command_line_while_its_steps_run()
    {
        using var op = await fleet.AdminAsync();
        var secret = $"s3cret-{Guid.NewGuid():N}";
        var sleep = $"sleep 2.{Random.Shared.Next(100, 999)}";
        var job = await fleet.JobAsync(op,
            [
                new { name = "command", type = "command", script = $"{sleep}; test {{{{tok}}}} = '{secret}' && echo same" },
                new { name = "script", type = "shell_script", script = $"#!/bin/bash\n{sleep}\n[ \"{{{{tok}}}}\" = '{secret}' ] && echo same too" },
            ],
            [new { name = "tok", type = "secret", required = true }], targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var runId = await FleetFixture.StartAsync(op, job, new { tok = secret });

        var seenRunning = 0;
        var finished = false;
        while (!finished)
        {
            if (FleetFixture.ProcessRunning(sleep))
            {
                seenRunning++;
            }
            var leaked = CommandLines.Containing(secret);
            Assert.True(leaked.Count == 0, "the secret is on a command line: " + string.Join(" | ", leaked));
            var run = await FleetFixture.WaitAsync(op, runId, _ => true);
            finished = run.Str("status") is "succeeded" or "failed" or "cancelled" or "timed_out";
            if (finished)
            {
                Assert.Equal("succeeded", run.Str("status"));
                var steps = run.GetProperty("targets")[0].GetProperty("steps");
                Assert.Equal("same", steps[0].Str("stdout"));
                Assert.Equal("same too", steps[1].Str("stdout"));
            }
            await Task.Delay(50);
        }
        Assert.True(seenRunning > 2, "the steps were never seen running, so the command lines were not checked while they ran");
    }

    [Fact]
    public async Task A_placeholder_inside_double_quotes_takes_the_value_literally()
    {
        using var op = await fleet.AdminAsync();
        var marker = $"/tmp/opsc-injected-{Guid.NewGuid():N}";
        var job = await fleet.JobAsync(op,
            [
                new { name = "echo", type = "command", script = "echo \"dq={{v}}\"" },
                new { name = "script", type = "shell_script", script = "#!/bin/sh\nX=\"{{v}}\"\ncat <<EOF\nhd=$X {{v}}\nEOF\n" },
            ],
            [new { name = "v", type = "string", required = true }], targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        foreach (var value in new[] { "$(id -un)", $"x\"; touch {marker}; echo \"", $"`touch {marker}`" })
        {
            var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job, new { v = value }));
            Assert.Equal("succeeded", run.Str("status"));
            var steps = run.GetProperty("targets")[0].GetProperty("steps");
            Assert.Equal($"dq={value}", steps[0].Str("stdout"));
            Assert.Equal($"hd={value} {value}", steps[1].Str("stdout"));
            Assert.False(File.Exists(marker), $"the value {value} ran a command");
        }
    }

    [Fact]
    public async Task A_cancelled_step_leaves_no_file_with_the_secret_on_the_target()
    {
        using var op = await fleet.AdminAsync();
        var secret = $"s3cret-{Guid.NewGuid():N}";
        var sleep = $"sleep 4{Random.Shared.Next(100, 999)}.5";
        var job = await fleet.JobAsync(op, [new { name = "long", type = "command", script = $"echo started; {sleep}; echo {{{{tok}}}}" }],
            [new { name = "tok", type = "secret", required = true }], targets: new { targetIds = new[] { fleet.TargetIds[0] } });
        var runId = await FleetFixture.StartAsync(op, job, new { tok = secret });
        // The run's targets and steps appear once the executor has resolved them.
        await FleetFixture.WaitAsync(op, runId, r => r.GetProperty("targets") is { } t && t.GetArrayLength() > 0
            && t[0].GetProperty("steps") is { } s && s.GetArrayLength() > 0 && s[0].Str("stdout") == "started");
        Assert.Single(StepFilesContaining(secret));

        await op.ExpectAsync(System.Net.HttpStatusCode.Accepted, op.PostAsync($"/api/v1/runs/{runId}/cancel"));
        Assert.Equal("cancelled", (await FleetFixture.WaitAsync(op, runId)).Str("status"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (StepFilesContaining(secret).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        Assert.Empty(StepFilesContaining(secret));
    }

    /// <summary>The uploaded step scripts (mktemp under /tmp; the tests run as root and can read them) that hold the text.</summary>
    static List<string> StepFilesContaining(string text) =>
        Directory.EnumerateDirectories("/tmp", "opsc-step-*")
            .SelectMany(d => { try { return Directory.GetFiles(d); } catch (IOException) { return []; } })
            .Where(f => { try { return File.ReadAllText(f).Contains(text, StringComparison.Ordinal); } catch (IOException) { return false; } })
            .ToList();
}
