using System.Net;
using OpsConductor.Tests.Infrastructure;
using OpsConductor.Tests.Jobs;

namespace OpsConductor.Tests.Security;

/// <summary>Placements of {{parameters}} that cannot be made safe are refused when the job is saved: the error names the step, the line and why.</summary>
[Trait("Category", TestCategories.ProviderIndependent)]
public sealed class PlaceholderValidationTests(NoExecutorFixture fixture) : IClassFixture<NoExecutorFixture>
{
    static readonly object[] Parameters =
    [
        new { name = "v", type = "string" },
        new { name = "n", type = "int", @default = 2 },
    ];

    [Theory]
    [InlineData("command", "echo start\ncat <<'EOF'\n{{v}}\nEOF", "line 3", "quoted delimiter")]
    [InlineData("command", "echo $(( {{v}} + 1 ))", "line 1", "only int parameters")]
    [InlineData("command", "echo ${x:-{{v}}}", "line 1", "${ }")]
    [InlineData("command", "$a = @'\n{{v}}\n'@", "line 2", "on Windows targets")]
    [InlineData("shell_script", "#!/bin/bash\necho ok\ncat <<-'END'\n\t{{v}}\n\tEND", "line 4", "quoted delimiter")]
    [InlineData("shell_script", "#!/usr/bin/env python3\nprint({{v}})", "line 1", "not a shell")]
    [InlineData("powershell", "Write-Output 'ok'\n$t = @'\n{{v}}\n'@", "line 3", "verbatim here-string")]
    public async Task An_unsafe_placement_is_a_400_naming_the_step_and_the_line(string type, string script, string line, string why)
    {
        using var admin = await fixture.AdminAsync();
        var problem = await admin.ExpectAsync(HttpStatusCode.BadRequest, admin.PostAsync("/api/v1/jobs", JobDefinitionTests.Job(Inventory.UniqueName("unsafe"),
            Parameters, new object[] { new { name = "fine", type = "command", script = "echo \"{{v}}\"" }, new { name = "bad", type, script } })));

        var errors = problem.GetProperty("errors");
        Assert.False(errors.TryGetProperty("steps[0].script", out _), $"the safe step was refused: {errors}");
        var message = errors.GetProperty("steps[1].script").ToString();
        Assert.Contains(line + ": ", message);
        Assert.Contains(why, message);
    }

    [Fact]
    public async Task Safe_placements_in_every_context_are_accepted()
    {
        using var admin = await fixture.AdminAsync();
        await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", JobDefinitionTests.Job(Inventory.UniqueName("safe"), Parameters, new object[]
        {
            new { name = "sh", type = "command", script = "echo {{v}} '{{v}}' \"{{v}}\" $(echo {{v}}) `echo {{v}}` $(( {{n}} * 2 ))\ncat <<EOF\n{{v}}\nEOF" },
            new { name = "bash", type = "shell_script", script = "#!/usr/bin/env bash\necho $'{{v}}' ${x:-{{n}}}\n(( {{n}} > 1 )) && echo big" },
            new { name = "ps", type = "powershell", script = "Write-Output {{v}} '{{v}}' \"{{v}}\" \"$({{v}})\" @\"\n{{v}}\n\"@" },
        })));
    }

    [Fact]
    public async Task A_value_with_a_nul_character_is_refused_when_the_run_is_created()
    {
        using var admin = await fixture.AdminAsync();
        var job = await admin.ExpectAsync(HttpStatusCode.Created, admin.PostAsync("/api/v1/jobs", JobDefinitionTests.Job(Inventory.UniqueName("nul"), Parameters,
            new object[] { new { name = "s", type = "command", script = "echo {{v}}" } })));
        var problem = await admin.ExpectAsync(HttpStatusCode.BadRequest,
            admin.PostAsync($"/api/v1/jobs/{job.GetProperty("id").GetInt64()}/runs", new { parameters = new { v = "a\0b" } }));
        Assert.Contains("NUL", problem.GetProperty("errors").GetProperty("parameters.v").ToString());
    }
}
