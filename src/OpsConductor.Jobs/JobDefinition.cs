using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpsConductor.Shared.Contracts;
using OpsConductor.Shared.Http;
using OpsConductor.Shared.Scripting;

namespace OpsConductor.Jobs;

public enum ParameterType
{
    String,
    Int,
    Bool,
    Choice,
    Secret,
}

public sealed record JobParameter(string? Name, ParameterType? Type, bool Required = false, JsonElement? Default = null,
    IReadOnlyList<string>? Choices = null, string? Description = null);

public sealed record JobStep(string? Name, StepType? Type, string? Script, int? TimeoutSeconds = null, bool ContinueOnError = false, int Retries = 0);

public sealed record TargetSelector(IReadOnlyList<long>? TargetIds = null, IReadOnlyList<string>? Tags = null);

public sealed record JobNotification(NotificationEvent? On, IReadOnlyList<string>? Recipients);

/// <summary>A job as the API and YAML files describe it.</summary>
public sealed record JobDefinition(
    string? Name,
    string? Description,
    IReadOnlyList<JobParameter>? Parameters,
    IReadOnlyList<JobStep>? Steps,
    TargetSelector? Targets,
    int? MaxParallelTargets = null,
    bool AllowConcurrentRuns = true,
    int Retries = 0,
    int RetryBackoffSeconds = 10,
    IReadOnlyList<JobNotification>? Notifications = null);

/// <summary>The rules a job definition and a run request must satisfy, with messages a user can act on.</summary>
public static partial class JobRules
{
    public const int MaxScriptLength = 256 * 1024;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$")]
    private static partial Regex ParameterName();

    public static ValidationErrors Validate(JobDefinition job)
    {
        var errors = new ValidationErrors();
        errors.Required("name", job.Name, "Name", 200).MaxLength("description", job.Description, "Description", 2000);

        var parameters = job.Parameters ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = parameters[i];
            var field = $"parameters[{i}]";
            if (p.Name is null || !ParameterName().IsMatch(p.Name))
            {
                errors.Add($"{field}.name", "A parameter name starts with a letter or '_' and has only letters, digits and '_' (at most 64).");
            }
            else if (!names.Add(p.Name))
            {
                errors.Add($"{field}.name", $"The parameter '{p.Name}' is defined twice.");
            }
            if (p.Type is null)
            {
                errors.Add($"{field}.type", "Type is required: string, int, bool, choice or secret.");
                continue;
            }
            if (p.Type == ParameterType.Choice && (p.Choices is null || p.Choices.Count == 0))
            {
                errors.Add($"{field}.choices", "A choice parameter needs at least one choice.");
            }
            if (p.Type == ParameterType.Secret && p.Default is { ValueKind: not JsonValueKind.Null })
            {
                errors.Add($"{field}.default", "A secret parameter cannot have a default: it would be stored in the job in clear text.");
            }
            else if (p.Default is { ValueKind: not JsonValueKind.Null } d && Convert(p, d, out var message) is null)
            {
                errors.Add($"{field}.default", message!);
            }
        }

        var integers = parameters.Where(p => p.Type == ParameterType.Int && p.Name is not null).Select(p => p.Name!).ToHashSet(StringComparer.Ordinal);
        var steps = job.Steps ?? [];
        if (steps.Count == 0)
        {
            errors.Add("steps", "A job needs at least one step.");
        }
        for (var i = 0; i < steps.Count; i++)
        {
            var s = steps[i];
            var field = $"steps[{i}]";
            errors.Required($"{field}.name", s.Name, "Step name", 200);
            if (s.Type is null)
            {
                errors.Add($"{field}.type", "Type is required: command, shell_script or powershell.");
            }
            if (string.IsNullOrWhiteSpace(s.Script))
            {
                errors.Add($"{field}.script", "Script is required.");
            }
            else
            {
                if (s.Script.Length > MaxScriptLength)
                {
                    errors.Add($"{field}.script", $"Script must be at most {MaxScriptLength} characters.");
                }
                foreach (var reference in ScriptTemplate.References(s.Script).Where(r => !names.Contains(r)))
                {
                    errors.Add($"{field}.script", $"The script uses {{{{{reference}}}}} but the job has no parameter '{reference}'.");
                }
                if (s.Type is { } type)
                {
                    foreach (var problem in PlacementProblems(type, s.Script, integers))
                    {
                        errors.Add($"{field}.script", problem);
                    }
                }
            }
            if (s.TimeoutSeconds is < 1 or > 86_400)
            {
                errors.Add($"{field}.timeoutSeconds", "timeoutSeconds must be between 1 and 86400.");
            }
            if (s.Retries is < 0 or > 10)
            {
                errors.Add($"{field}.retries", "retries must be between 0 and 10.");
            }
        }

        var targets = job.Targets;
        if (targets is null || ((targets.TargetIds?.Count ?? 0) == 0 && (targets.Tags?.Count ?? 0) == 0))
        {
            errors.Add("targets", "Choose targets by id (targetIds) and/or by tag (tags).");
        }
        else if (targets.Tags?.Any(string.IsNullOrWhiteSpace) == true)
        {
            errors.Add("targets.tags", "Tags cannot be empty.");
        }
        if (job.MaxParallelTargets is < 1 or > 1000)
        {
            errors.Add("maxParallelTargets", "maxParallelTargets must be between 1 and 1000.");
        }
        if (job.Retries is < 0 or > 10)
        {
            errors.Add("retries", "retries must be between 0 and 10.");
        }
        if (job.RetryBackoffSeconds is < 0 or > 3600)
        {
            errors.Add("retryBackoffSeconds", "retryBackoffSeconds must be between 0 and 3600.");
        }
        var notifications = job.Notifications ?? [];
        for (var i = 0; i < notifications.Count; i++)
        {
            var n = notifications[i];
            if (n.On is null)
            {
                errors.Add($"notifications[{i}].on", "on is required: started, succeeded, failed, cancelled, timed_out or missed (a schedule's occurrence of this job was missed).");
            }
            EmailAddresses.ValidateList(errors, $"notifications[{i}].recipients", n.Recipients, required: true);
        }
        return errors;
    }

    /// <summary>
    /// Placeholders the step's language cannot take safely. A command runs in sh on POSIX targets and in
    /// PowerShell on Windows ones, so both are checked; a shell script is checked in the language of its
    /// #! line, and an interpreter that is no known shell cannot hold placeholders at all.
    /// </summary>
    static IEnumerable<string> PlacementProblems(StepType type, string script, IReadOnlySet<string> integers)
    {
        if (ScriptTemplate.References(script).Count == 0)
        {
            return [];
        }
        if (StepScript.Dialect(type, script, windows: false) is not { } dialect)
        {
            return [$"line 1: the #! interpreter '{StepScript.Interpreter(script)}' is not a shell OpsConductor knows (sh, bash, dash, ksh, zsh, ash, pwsh), "
                + "so {{parameters}} cannot be placed in it safely; pass them through a shell script that calls it, e.g. as arguments: python3 - \"$v\" <<'EOF'"];
        }
        var problems = ScriptTemplate.Problems(script, dialect, integers);
        return type == StepType.Command
            ? problems.Concat(ScriptTemplate.Problems(script, ScriptDialect.PowerShell, integers).Select(p => p + " (on Windows targets, where commands run in PowerShell)"))
            : problems;
    }

    /// <summary>
    /// Checks a run request's values against the job's parameters and returns every value as the
    /// text that goes into scripts (defaults filled in).
    /// </summary>
    public static Dictionary<string, string> ResolveParameters(JobDefinition job, IReadOnlyDictionary<string, JsonElement>? given, ValidationErrors errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var declared = (job.Parameters ?? []).ToDictionary(p => p.Name!, StringComparer.Ordinal);
        foreach (var name in (given?.Keys ?? []).Where(n => !declared.ContainsKey(n)))
        {
            errors.Add($"parameters.{name}", $"The job has no parameter '{name}'.");
        }
        foreach (var p in declared.Values)
        {
            var field = $"parameters.{p.Name}";
            JsonElement? value = given is not null && given.TryGetValue(p.Name!, out var v) && v.ValueKind != JsonValueKind.Null ? v : p.Default;
            if (value is null || value.Value.ValueKind == JsonValueKind.Null)
            {
                if (p.Required)
                {
                    errors.Add(field, $"'{p.Name}' is required.");
                }
                continue;
            }
            if (Convert(p, value.Value, out var message) is { } text)
            {
                result[p.Name!] = text;
            }
            else
            {
                errors.Add(field, message!);
            }
        }
        return result;
    }

    static string? Convert(JobParameter p, JsonElement value, out string? error)
    {
        error = null;
        switch (p.Type)
        {
            case ParameterType.Int when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n):
                return n.ToString(CultureInfo.InvariantCulture);
            case ParameterType.Int when value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n2):
                return n2.ToString(CultureInfo.InvariantCulture);
            case ParameterType.Int:
                error = $"'{p.Name}' must be a whole number.";
                return null;
            case ParameterType.Bool when value.ValueKind is JsonValueKind.True or JsonValueKind.False:
                return value.GetBoolean() ? "true" : "false";
            case ParameterType.Bool:
                error = $"'{p.Name}' must be true or false.";
                return null;
            case ParameterType.Choice when value.ValueKind == JsonValueKind.String && (p.Choices ?? []).Contains(value.GetString()!):
                return value.GetString();
            case ParameterType.Choice:
                error = $"'{p.Name}' must be one of: {string.Join(", ", p.Choices ?? [])}.";
                return null;
            case ParameterType.String or ParameterType.Secret when value.ValueKind == JsonValueKind.String:
                var s = value.GetString()!;
                if (s.Length > 65_536)
                {
                    error = $"'{p.Name}' must be at most 65536 characters.";
                    return null;
                }
                if (s.Contains('\0', StringComparison.Ordinal))
                {
                    // A shell cannot hold a NUL character in a variable: the value would arrive cut.
                    error = $"'{p.Name}' cannot contain the NUL character.";
                    return null;
                }
                return s;
            default:
                error = $"'{p.Name}' must be a string.";
                return null;
        }
    }
}
