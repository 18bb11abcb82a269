using System.Net;
using System.Text;
using OpsConductor.Tests.Infrastructure;

namespace OpsConductor.Tests.Executor;

/// <summary>
/// Jobs on a Windows target, written once and run on both connections (<see cref="WindowsOverSshTests"/>,
/// <see cref="WinRmExecutorTests"/>): every step runs as <c>powershell -EncodedCommand</c>; what answers is PowerShell 7
/// on Linux, never a Windows machine.
/// </summary>
public abstract class WindowsTargetTests(IWindowsTargetFixture windows)
{
    [Fact]
    public async Task Output_streams_while_the_step_runs_and_stderr_is_decoded_to_text()
    {
        using var op = await windows.AdminAsync();
        var job = await JobAsync(op,
            [new
            {
                name = "stream", type = "powershell",
                script = "Write-Output \"hello {{who}}\"\nStart-Sleep -Seconds 4\nWrite-Error 'a non-terminating error'\n[Console]::Error.WriteLine('raw stderr')\nWrite-Warning 'careful'\nWrite-Output done",
            }],
            [new { name = "who", type = "string", required = true }]);
        var runId = await FleetFixture.StartAsync(op, job, new { who = "world" });

        var early = await FleetFixture.WaitAsync(op, runId, r => r.GetProperty("targets").GetArrayLength() == 1
            && r.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout") == "hello world");
        Assert.Equal("running", early.Str("status"));
        var run = await FleetFixture.WaitAsync(op, runId);

        Assert.Equal("succeeded", run.Str("status"));
        var step = run.GetProperty("targets")[0].GetProperty("steps")[0];
        Assert.Equal("hello world\ndone", step.Str("stdout"));
        var stderr = step.Str("stderr");
        Assert.Contains("a non-terminating error", stderr);
        Assert.Contains("raw stderr", stderr);
        Assert.Contains("careful", stderr);
        Assert.DoesNotContain("CLIXML", stderr);
        Assert.DoesNotContain("<Objs", stderr);
        Assert.DoesNotContain("_x00", stderr);
        Assert.DoesNotContain("__OPSC_", stderr);
        Assert.DoesNotContain("\u001b", stderr);
    }

    [Fact]
    public async Task Exit_codes_follow_exit_a_throw_and_a_failing_native_command()
    {
        using var op = await windows.AdminAsync();
        var job = await JobAsync(op,
            [
                new { name = "exit", type = "powershell", script = "Write-Output before\nexit 3\nWrite-Output never", continueOnError = true },
                new { name = "throw", type = "command", script = "throw 'it broke'", continueOnError = true },
                new { name = "native", type = "command", script = "sh -c 'exit 5'", continueOnError = true },
                new { name = "exit in a function", type = "powershell", script = "function Stop-Here { exit 4 }\nStop-Here\nWrite-Output never", continueOnError = true },
                new { name = "failed cmdlet last", type = "powershell", script = "Get-Item /no/such/file", continueOnError = true },
                new { name = "native then ok", type = "command", script = "sh -c 'exit 6'; Write-Output fine", continueOnError = true },
            ]);
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job), seconds: 120);

        var steps = run.GetProperty("targets")[0].GetProperty("steps");
        Assert.Equal(3, steps[0].GetProperty("exitCode").GetInt32());
        Assert.Equal("before", steps[0].Str("stdout"));
        Assert.Equal(1, steps[1].GetProperty("exitCode").GetInt32());
        Assert.Contains("it broke", steps[1].Str("stderr"));
        Assert.Equal(5, steps[2].GetProperty("exitCode").GetInt32());
        Assert.Equal(4, steps[3].GetProperty("exitCode").GetInt32());
        Assert.Equal("", steps[3].Str("stdout"));
        Assert.Equal(1, steps[4].GetProperty("exitCode").GetInt32());
        Assert.Contains("/no/such/file", steps[4].Str("stderr"));
        Assert.Equal(0, steps[5].GetProperty("exitCode").GetInt32());
        Assert.Equal("succeeded", steps[5].Str("status"));
        Assert.Equal("fine", steps[5].Str("stdout"));
    }

    [Fact]
    public async Task Cmd_metacharacters_in_values_and_scripts_arrive_literally_and_hostile_values_run_nothing()
    {
        using var op = await windows.AdminAsync();
        var marker = $"/tmp/opsc-win-injected-{Guid.NewGuid():N}";
        var values = new[]
        {
            "a & b | c %PATH% ^ < > !x!",
            $"'; New-Item {marker}; '",
            $"\"; New-Item {marker}; \"",
            $"$(New-Item {marker})",
            $"`$(New-Item {marker})",
            $"${{New-Item {marker}}}",
            $"x\nNew-Item {marker}",
            $"x\r\nNew-Item {marker} #",
            $"‘; New-Item {marker}; ’",
            $"@(New-Item {marker})",
            "ünï 🚀 \\ \"' `",
        };
        var names = values.Select((_, i) => $"v{i}").ToArray();
        var job = await JobAsync(op,
            [
                new { name = "code", type = "command", script = string.Join("\n", names.Select(n => $"Write-Output ('<' + {{{{{n}}}}} + '>')")) },
                new { name = "double", type = "command", script = string.Join("\n", names.Select(n => $"Write-Output \"<{{{{{n}}}}}>\"")) },
                new { name = "single", type = "powershell", script = string.Join("\n", names.Select(n => $"Write-Output '<{{{{{n}}}}}>'")) },
                new { name = "literal", type = "command", script = "Write-Output 'a & b | c %PATH% ^ !x!'; Write-Output \"%USERNAME%&echo hi\"" },
            ],
            names.Select(n => new { name = n, type = "string", required = true }).ToArray<object>());
        var parameters = names.Zip(values).ToDictionary(p => p.First, p => p.Second);
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job, parameters), seconds: 120);

        Assert.Equal("succeeded", run.Str("status"));
        var steps = run.GetProperty("targets")[0].GetProperty("steps");
        var expected = string.Join("\n", values.Select(v => "<" + v.Replace("\r\n", "\n") + ">"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(expected, steps[i].Str("stdout"));
        }
        Assert.Equal("a & b | c %PATH% ^ !x!\n%USERNAME%&echo hi", steps[3].Str("stdout"));
        Assert.False(File.Exists(marker), "a value ran a command");
    }

    [Fact]
    public async Task A_script_longer_than_the_command_line_limit_runs_whole()
    {
        using var op = await windows.AdminAsync();
        var script = new StringBuilder("$total = 0\n");
        for (var i = 0; i < 400; i++)
        {
            script.Append($"$total += {i} # padding so the script is far longer than cmd.exe's 8,191 characters\n");
        }
        script.Append("Write-Output \"total=$total\"\nWrite-Output '{{tail}}'");
        Assert.True(script.Length > 3 * 8191);
        var job = await JobAsync(op, [new { name = "long", type = "powershell", script = script.ToString() }],
            [new { name = "tail", type = "string", required = true }]);
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job, new { tail = "it's the end" }), seconds: 120);

        Assert.Equal("succeeded", run.Str("status"));
        Assert.Equal($"total={Enumerable.Range(0, 400).Sum()}\nit's the end", run.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout"));
    }

    [Fact]
    public async Task A_step_timeout_kills_the_remote_process_tree_and_removes_the_script()
    {
        using var op = await windows.AdminAsync();
        var sleep = $"sleep 3{Random.Shared.Next(10000, 99999)}.5";
        var job = await JobAsync(op, [new { name = "slow", type = "command", script = $"Write-Output start\n/bin/{sleep}\nWrite-Output never", timeoutSeconds = 12 }]);
        var runId = await FleetFixture.StartAsync(op, job);
        await FleetFixture.WaitAsync(op, runId, r => FleetFixture.ProcessRunning(sleep) || r.Str("status") is "succeeded" or "failed" or "timed_out", seconds: 60);
        // The step's private directory is the one whose script names this test's unique sleep (other tests run beside it).
        var directory = Assert.Single(StepDirectoriesWith(sleep));

        var run = await FleetFixture.WaitAsync(op, runId, seconds: 90);

        Assert.Equal("timed_out", run.Str("status"));
        var step = run.GetProperty("targets")[0].GetProperty("steps")[0];
        Assert.Equal("timed_out", step.Str("status"));
        Assert.Equal("start", step.Str("stdout"));
        await AssertGone(sleep);
        Assert.False(Directory.Exists(directory), $"{directory} with the step's script is still there");
    }

    [Fact]
    public async Task Cancel_kills_the_remote_process_tree_and_ends_the_run_cancelled()
    {
        using var op = await windows.AdminAsync();
        var sleep = $"sleep 4{Random.Shared.Next(10000, 99999)}.5";
        var job = await JobAsync(op, [new { name = "long", type = "powershell", script = $"Write-Output started\n/bin/{sleep}" }]);
        var runId = await FleetFixture.StartAsync(op, job);
        await FleetFixture.WaitAsync(op, runId, r => r.GetProperty("targets").GetArrayLength() == 1
            && r.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout") == "started" && FleetFixture.ProcessRunning(sleep), seconds: 60);

        await op.ExpectAsync(HttpStatusCode.Accepted, op.PostAsync($"/api/v1/runs/{runId}/cancel"));
        var run = await FleetFixture.WaitAsync(op, runId, seconds: 90);

        Assert.Equal("cancelled", run.Str("status"));
        Assert.Equal("cancelled", run.GetProperty("targets")[0].Str("status"));
        await AssertGone(sleep);
    }

    [Fact]
    public async Task Secrets_are_redacted_and_a_posix_shebang_is_refused_with_a_clear_message()
    {
        using var op = await windows.AdminAsync();
        var job = await JobAsync(op,
            [
                new { name = "leak", type = "powershell", script = $"Write-Output 'password={windows.CredentialPassword}'\nWrite-Output \"token={{{{token}}}}\"\n[Console]::Error.WriteLine(\"again {{{{token}}}}\")", continueOnError = true },
                new { name = "bash", type = "shell_script", script = "#!/bin/bash\necho hi" },
            ],
            [new { name = "token", type = "secret", required = true }]);
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job, new { token = "tok-w1n-5ecret" }), seconds: 120);

        var steps = run.GetProperty("targets")[0].GetProperty("steps");
        Assert.Equal("password=********\ntoken=********", steps[0].Str("stdout"));
        Assert.Equal("again ********", steps[0].Str("stderr"));
        Assert.Equal("failed", steps[1].Str("status"));
        Assert.Contains("Windows targets run steps in PowerShell", steps[1].Str("error"));
        Assert.Contains("#!/bin/bash", steps[1].Str("error"));
        foreach (var text in new[] { run.ToString(), windows.Host.Output })
        {
            Assert.DoesNotContain("tok-w1n-5ecret", text);
            Assert.DoesNotContain(windows.CredentialPassword, text);
        }
    }

    [Fact]
    public async Task A_secret_is_never_on_a_command_line_of_the_target_while_a_powershell_step_runs()
    {
        using var op = await windows.AdminAsync();
        var secret = $"w1n-s3cret-{Guid.NewGuid():N}";
        var job = await JobAsync(op,
            [new { name = "wait", type = "powershell", script = "Start-Sleep -Seconds 3\nif ('{{tok}}' -eq '" + secret + "') { Write-Output same }" }],
            [new { name = "tok", type = "secret", required = true }]);
        var runId = await FleetFixture.StartAsync(op, job, new { tok = secret });

        var seenRunning = 0;
        while (true)
        {
            var leaked = CommandLines.Containing(secret);
            Assert.True(leaked.Count == 0, "the secret is on a command line: " + string.Join(" | ", leaked));
            var run = await FleetFixture.WaitAsync(op, runId, _ => true);
            if (run.Str("status") is "succeeded" or "failed" or "cancelled" or "timed_out")
            {
                Assert.Equal("succeeded", run.Str("status"));
                Assert.Equal("same", run.GetProperty("targets")[0].GetProperty("steps")[0].Str("stdout"));
                break;
            }
            if (run.GetProperty("targets") is { } targets && targets.GetArrayLength() == 1
                && targets[0].GetProperty("steps")[0].Str("status") == "running")
            {
                seenRunning++;
            }
            await Task.Delay(50);
        }
        Assert.True(seenRunning > 2, "the step was never seen running, so the command lines were not checked while it ran");
    }

    [Fact]
    public async Task Job_retries_rerun_the_failed_target_until_it_passes()
    {
        using var op = await windows.AdminAsync();
        var flag = $"/tmp/opsc-win-flaky-{Guid.NewGuid():N}";
        var job = await JobAsync(op,
            [new { name = "flaky", type = "powershell", script = $"if (-not (Test-Path '{flag}')) {{ New-Item '{flag}' | Out-Null; Write-Output 'first try fails'; exit 1 }}\nWrite-Output ok" }],
            retries: 2);
        var run = await FleetFixture.WaitAsync(op, await FleetFixture.StartAsync(op, job), seconds: 120);

        Assert.Equal("succeeded", run.Str("status"));
        var target = run.GetProperty("targets")[0];
        Assert.Equal(2, target.GetProperty("attempt").GetInt32());
        Assert.Equal("ok", target.GetProperty("steps")[0].Str("stdout"));
        File.Delete(flag);
    }

    protected async Task<long> JobAsync(ApiClient client, object[] steps, object[]? parameters = null, int retries = 0)
    {
        var job = await client.ExpectAsync(HttpStatusCode.Created, client.PostAsync("/api/v1/jobs", new
        {
            name = Inventory.UniqueName("win-job"),
            parameters = parameters ?? [],
            steps,
            targets = new { targetIds = new[] { windows.TargetId } },
            allowConcurrentRuns = true,
            retries,
            retryBackoffSeconds = 0,
        }));
        return job.GetProperty("id").GetInt64();
    }

    /// <summary>The private directories the Windows bootstrap writes its script into (opsc-step- and 16 hex digits).</summary>
    protected static IEnumerable<string> StepDirectoriesWith(string text)
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), "opsc-step-????????????????"))
        {
            string script;
            try
            {
                script = File.ReadAllText(Path.Combine(directory, "step.ps1"));
            }
            catch (IOException)
            {
                continue; // another test's step finished meanwhile
            }
            if (script.Contains(text, StringComparison.Ordinal))
            {
                yield return directory;
            }
        }
    }

    protected static async Task AssertGone(string commandFragment)
    {
        for (var i = 0; i < 100 && FleetFixture.ProcessRunning(commandFragment); i++)
        {
            await Task.Delay(100);
        }
        Assert.False(FleetFixture.ProcessRunning(commandFragment), $"'{commandFragment}' still runs on the target");
    }
}
