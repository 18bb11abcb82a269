using System.Text.Encodings.Web;
using Fluid;
using OpsConductor.Shared.Http;

namespace OpsConductor.Notifications;

/// <summary>A subject and both bodies, rendered.</summary>
public sealed record RenderedMessage(string Subject, string Html, string Text);

/// <summary>
/// Liquid templates through Fluid: the HTML body HTML-encodes every value it outputs, the subject and the text body
/// output values as they are. A template that does not parse, or uses a field the model does not have, is refused with
/// the field (<c>subject</c>, <c>html</c>, <c>text</c>) and the reason.
/// </summary>
public sealed class NotificationRenderer
{
    public const int MaxSubjectLength = 1000;
    public const int MaxBodyLength = 256 * 1024;

    static readonly FluidParser Parser = new();

    // Bounded work and output per render: a template is data an admin typed, not code to trust with the process.
    static readonly TemplateOptions Options = new TemplateOptionsBuilder().WithMaxSteps(100_000).WithMaxRecursion(20)
        .WithMaxOutputSize(MaxBodyLength * 4).Build();

    public sealed record Parsed(IFluidTemplate Subject, IFluidTemplate Html, IFluidTemplate Text);

    /// <summary>Parses and checks the three parts; the errors name each bad part.</summary>
    public static Parsed? Parse(string? subject, string? html, string? text, ValidationErrors errors)
    {
        var s = ParseOne("subject", subject, MaxSubjectLength, errors);
        var h = ParseOne("html", html, MaxBodyLength, errors);
        var t = ParseOne("text", text, MaxBodyLength, errors);
        return s is null || h is null || t is null ? null : new Parsed(s, h, t);
    }

    static IFluidTemplate? ParseOne(string field, string? source, int maxLength, ValidationErrors errors)
    {
        if (source is null)
        {
            errors.Add(field, $"{field} is required.");
            return null;
        }
        if (source.Length > maxLength)
        {
            errors.Add(field, $"{field} must be at most {maxLength} characters.");
            return null;
        }
        if (!Parser.TryParse(source, out var template, out var error))
        {
            errors.Add(field, $"The template does not parse: {error}");
            return null;
        }
        var unknown = TemplateFields.Unknown(template);
        if (unknown.Count > 0)
        {
            errors.Add(field, $"Unknown template field{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}. Known fields: {string.Join(", ", TemplateFields.Known)}.");
            return null;
        }
        return template;
    }

    public static async Task<RenderedMessage> RenderAsync(Parsed templates, IReadOnlyDictionary<string, object?> model)
    {
        var subject = await RenderOneAsync(templates.Subject, model, NullEncoder.Default);
        // A subject is one line: a value with a line break cannot add headers or a second line.
        subject = string.Join(' ', subject.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return new RenderedMessage(subject, await RenderOneAsync(templates.Html, model, HtmlEncoder.Default),
            await RenderOneAsync(templates.Text, model, NullEncoder.Default));
    }

    static async Task<string> RenderOneAsync(IFluidTemplate template, IReadOnlyDictionary<string, object?> model, TextEncoder encoder)
    {
        var context = new TemplateContext(Options, StringComparer.Ordinal);
        foreach (var (name, value) in model)
        {
            context.SetValue(name, value ?? "");
        }
        return await template.RenderAsync(context, encoder);
    }
}
