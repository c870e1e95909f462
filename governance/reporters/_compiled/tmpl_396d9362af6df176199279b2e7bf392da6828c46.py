from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'report.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_v = resolve('v')
    l_0_created = resolve('created')
    l_0_trends = resolve('trends')
    l_0_for_pdf = resolve('for_pdf')
    l_0_blocks = l_0_r = l_0_coverage_row = missing
    try:
        t_1 = environment.filters['dictsort']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'dictsort' found.")
    try:
        t_2 = environment.filters['lower']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'lower' found.")
    try:
        t_3 = environment.filters['upper']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'upper' found.")
    pass
    l_0_blocks = context.vars['blocks'] = environment.get_template('_blocks.html.j2', 'report.html.j2')._get_default_module(context)
    context.exported_vars.discard('blocks')
    l_0_r = environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'report')
    context.vars['r'] = l_0_r
    context.exported_vars.add('r')
    def macro(l_1_c, l_1_unmapped):
        t_4 = []
        l_1_symbols = resolve('symbols')
        l_1_labels = resolve('labels')
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        if l_1_unmapped is missing:
            l_1_unmapped = False
        pass
        t_4.extend((
            '<tr class="cov-row cov-',
            escape(environment.getattr(environment.getattr(l_1_c, 'status'), 'value')),
        ))
        if l_1_unmapped:
            pass
            t_4.append(
                ' cov-unmapped',
            )
        t_4.append(
            '">\n        <th scope="row">',
        )
        if l_1_unmapped:
            pass
            t_4.extend((
                '<em>',
                escape(environment.getattr(l_1_c, 'clause')),
                '</em>',
            ))
        else:
            pass
            t_4.append(
                escape(environment.getattr(l_1_c, 'clause')),
            )
        t_4.append(
            '</th>\n        <td>',
        )
        if l_1_unmapped:
            pass
            t_4.append(
                'Rules without a clause reference',
            )
        else:
            pass
            t_4.append(
                escape((environment.getattr(l_1_c, 'title') or '—')),
            )
        t_4.extend((
            '</td>\n        <td><span class="badge badge-',
            escape(environment.getattr(environment.getattr(l_1_c, 'status'), 'value')),
            '">',
            escape(environment.getitem((undefined(name='symbols') if l_1_symbols is missing else l_1_symbols), environment.getattr(l_1_c, 'status'))),
            ' ',
            escape(environment.getitem((undefined(name='labels') if l_1_labels is missing else l_1_labels), environment.getattr(l_1_c, 'status'))),
            '</span></td>\n        <td>',
        ))
        l_2_loop = missing
        for l_2_rs, l_2_loop in LoopContext(environment.getattr(l_1_c, 'rules'), undefined):
            _loop_vars = {}
            pass
            t_4.extend((
                '<span class="cov-rule">',
                escape(environment.getattr(l_2_rs, 'rule_id')),
                ' <span class="badge badge-',
                escape(environment.getattr(environment.getattr(l_2_rs, 'status'), 'value')),
                '">',
                escape(environment.getitem((undefined(name='symbols') if l_1_symbols is missing else l_1_symbols), environment.getattr(l_2_rs, 'status'))),
                ' ',
                escape(environment.getitem((undefined(name='labels') if l_1_labels is missing else l_1_labels), environment.getattr(l_2_rs, 'status'))),
                '</span></span>',
            ))
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                t_4.append(
                    ' ',
                )
        l_2_loop = l_2_rs = missing
        t_4.append(
            '</td>\n      </tr>',
        )
        return concat(t_4)
    context.exported_vars.add('coverage_row')
    context.vars['coverage_row'] = l_0_coverage_row = Macro(environment, macro, 'coverage_row', ('c', 'unmapped'), False, False, False, context.eval_ctx.autoescape)
    yield '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<meta name="generator" content="'
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'tool'), 'name'))
    yield ' '
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'tool'), 'version'))
    yield '">\n<meta name="description" content="Release gate '
    yield escape(t_3(environment.getattr(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), 'status'), 'value')))
    yield ' for '
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'model'), 'name'))
    yield ' '
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'model'), 'version'))
    yield ' under policy '
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'policy'), 'name'))
    yield ' '
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'policy'), 'version'))
    yield '">\n<meta name="dcterms.created" content="'
    yield escape((undefined(name='created') if l_0_created is missing else l_0_created))
    yield '">\n<meta name="dcterms.modified" content="'
    yield escape((undefined(name='created') if l_0_created is missing else l_0_created))
    yield '">\n<title>'
    yield escape(environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'title'))
    yield '</title>\n<style>\n'
    template = environment.get_template('report.css', 'report.html.j2')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {'blocks': l_0_blocks, 'coverage_row': l_0_coverage_row, 'r': l_0_r}))
    try:
        for event in gen:
            yield event
    finally: gen.close()
    yield '</style>\n</head>\n<body>\n<header class="cover">\n  <p class="doc-kind">Model governance audit report</p>\n  <h1><span class="rh-model">'
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'model'), 'name'))
    yield ' '
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'model'), 'version'))
    yield '</span></h1>\n  <p class="subtitle">Policy '
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'policy'), 'name'))
    yield ' '
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'policy'), 'version'))
    yield ' · generated '
    yield escape(environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'generated'))
    yield '</p>\n\n  <section class="verdict verdict-'
    yield escape(environment.getattr(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), 'status'), 'value'))
    yield '" aria-labelledby="verdict-heading">\n    <h2 id="verdict-heading" class="verdict-heading">Release gate</h2>\n    <p class="verdict-value">'
    if (environment.getattr(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), 'status'), 'value') == 'pass'):
        pass
        yield '✓ PASSED'
    else:
        pass
        yield '✗ FAILED'
    yield '</p>\n    <p class="verdict-detail">\n      '
    yield escape(environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'total'))
    yield ' rules evaluated; the gate fails on any <em>fail</em> or <em>error</em> finding of\n      severity <strong>'
    yield escape(environment.getattr(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), 'fail_on'), 'value'))
    yield '</strong> or higher, and on any expired waiver.\n    </p>\n'
    if environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), 'reasons'):
        pass
        yield '    <p class="verdict-detail">Reasons:</p>\n    <ul class="reasons">\n'
        for l_1_reason in environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), 'reasons'):
            _loop_vars = {}
            pass
            yield '<li>'
            yield escape(l_1_reason)
            yield '</li>'
        l_1_reason = missing
        yield '    </ul>\n'
    yield '  </section>\n\n  <table class="meta">\n    <caption>Report details</caption>\n    <tbody>\n      <tr><th scope="row">Model</th><td>'
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'model'), 'name'))
    yield '</td></tr>\n      <tr><th scope="row">Model version</th><td>'
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'model'), 'version'))
    yield '</td></tr>\n      <tr><th scope="row">Target release / environment</th><td>'
    yield escape(environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'target'))
    yield '</td></tr>\n      <tr><th scope="row">Policy</th><td>'
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'policy'), 'name'))
    yield ' '
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'policy'), 'version'))
    yield '</td></tr>\n      <tr><th scope="row">Policy SHA-256</th><td><code class="digest">'
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'policy'), 'sha256'))
    yield '</code></td></tr>\n      <tr><th scope="row">Report id</th><td><code class="rh-id">'
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'report_id'))
    yield '</code></td></tr>\n      <tr><th scope="row">Generated</th><td>'
    yield escape(environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'generated'))
    yield '</td></tr>\n      <tr><th scope="row">Tool</th><td>'
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'tool'), 'name'))
    yield ' '
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'tool'), 'version'))
    yield ' (report schema '
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'schema_version'))
    yield ')</td></tr>\n    </tbody>\n  </table>\n\n  '
    yield escape(environment.call(context, environment.getattr((undefined(name='blocks') if l_0_blocks is missing else l_0_blocks), 'model_summary'), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'card')))
    yield '\n\n  <nav class="toc" aria-label="Contents">\n    <h2 class="toc-heading">Contents</h2>\n    <ol>\n      <li><a href="#summary">Summary of results</a></li>\n      <li><a href="#findings">Findings by family</a></li>\n      <li><a href="#waivers">Waivers</a></li>\n      <li><a href="#coverage">Framework coverage</a></li>\n      <li><a href="#inputs">Inputs and environment</a></li>\n      <li><a href="#signoff">Sign-off</a></li>\n'
    if (undefined(name='trends') if l_0_trends is missing else l_0_trends):
        pass
        yield '<li><a href="#trends">Trends and changes since the previous release</a></li>'
    yield '    </ol>\n  </nav>\n</header>\n\n<main>\n<section id="summary" class="chapter">\n  <h2>1. Summary of results</h2>\n  <table class="data matrix">\n    <caption>Findings by severity and status</caption>\n    <thead><tr>\n      <th scope="col">Severity</th>\n'
    for l_1_s in environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'status_labels'):
        _loop_vars = {}
        pass
        yield '<th scope="col" class="num">'
        yield escape(environment.getattr(l_1_s, 'label'))
        yield '</th>'
    l_1_s = missing
    yield '      <th scope="col" class="num">Total</th>\n    </tr></thead>\n    <tbody>\n'
    for l_1_row in environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'matrix'):
        _loop_vars = {}
        pass
        yield '      <tr><th scope="row"><span class="sev sev-'
        yield escape(environment.getattr(l_1_row, 'severity'))
        yield '">'
        yield escape(environment.getattr(l_1_row, 'label'))
        yield '</span></th>\n'
        for l_2_n in environment.getattr(l_1_row, 'counts'):
            _loop_vars = {}
            pass
            yield '<td class="num'
            if (l_2_n == 0):
                pass
                yield ' zero'
            yield '">'
            yield escape(l_2_n)
            yield '</td>'
        l_2_n = missing
        yield '        <td class="num total">'
        yield escape(environment.getattr(l_1_row, 'total'))
        yield '</td></tr>\n'
    l_1_row = missing
    yield '    </tbody>\n    <tfoot><tr><th scope="row">All</th>\n'
    for l_1_s in environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'status_counts'):
        _loop_vars = {}
        pass
        yield '<td class="num">'
        yield escape(environment.getattr(l_1_s, 'count'))
        yield '</td>'
    l_1_s = missing
    yield '      <td class="num total">'
    yield escape(environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'total'))
    yield '</td></tr></tfoot>\n  </table>\n\n  <h3>Findings that need attention</h3>\n'
    if environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'attention'):
        pass
        yield '  <table class="data attention">\n    <caption>Rules that failed or could not be decided, most severe first</caption>\n    <colgroup><col class="c-status"><col class="c-sev"><col class="c-rule"><col></colgroup>\n    <thead><tr><th scope="col">Status</th><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Finding</th></tr></thead>\n    <tbody>\n'
        for l_1_fv in environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'attention'):
            _loop_vars = {}
            pass
            yield '      <tr>\n        <td>'
            yield escape(environment.call(context, environment.getattr((undefined(name='blocks') if l_0_blocks is missing else l_0_blocks), 'status_badge'), environment.getattr(environment.getattr(l_1_fv, 'f'), 'status'), environment.getattr(l_1_fv, 'status_label'), environment.getattr(l_1_fv, 'status_symbol'), _loop_vars=_loop_vars))
            yield '</td>\n        <td>'
            yield escape(environment.call(context, environment.getattr((undefined(name='blocks') if l_0_blocks is missing else l_0_blocks), 'severity_badge'), environment.getattr(environment.getattr(l_1_fv, 'f'), 'severity'), _loop_vars=_loop_vars))
            yield '</td>\n        <th scope="row"><a href="#'
            yield escape(environment.getattr(l_1_fv, 'anchor'))
            yield '">'
            yield escape(environment.getattr(environment.getattr(l_1_fv, 'f'), 'rule_id'))
            yield '</a></th>\n        <td><strong>'
            yield escape(environment.getattr(environment.getattr(l_1_fv, 'f'), 'title'))
            yield '</strong><br>'
            yield escape(environment.getattr(environment.getattr(l_1_fv, 'f'), 'message'))
            yield '</td>\n      </tr>\n'
        l_1_fv = missing
        yield '    </tbody>\n  </table>\n'
    else:
        pass
        yield '  <p class="ok-note">No rule failed and every rule had sufficient evidence.</p>\n'
    yield '\n'
    if (undefined(name='for_pdf') if l_0_for_pdf is missing else l_0_for_pdf):
        pass
        yield '  <h3>All rules</h3>\n  <p>Every rule is listed with its outcome in chapter 2, family by family: passing and skipped rules in brief, the others with all their evidence. The HTML report also has them in one table.</p>\n'
    else:
        pass
        yield '  <h3>All rules</h3>\n  <table class="data overview">\n    <caption>Every rule of the policy and its outcome</caption>\n    <colgroup><col class="c-rule"><col><col class="c-family"><col class="c-sev"><col class="c-status"></colgroup>\n    <thead><tr><th scope="col">Rule</th><th scope="col">Title</th><th scope="col">Family</th><th scope="col">Severity</th><th scope="col">Status</th></tr></thead>\n    <tbody>\n'
        for l_1_fam in environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'families'):
            _loop_vars = {}
            pass
            for l_2_fv in environment.getattr(l_1_fam, 'findings'):
                _loop_vars = {}
                pass
                yield '      <tr>\n        <th scope="row"><a href="#'
                yield escape(environment.getattr(l_2_fv, 'anchor'))
                yield '">'
                yield escape(environment.getattr(environment.getattr(l_2_fv, 'f'), 'rule_id'))
                yield '</a></th>\n        <td>'
                yield escape(environment.getattr(environment.getattr(l_2_fv, 'f'), 'title'))
                yield '</td>\n        <td>'
                yield escape(environment.getattr(l_1_fam, 'title'))
                yield '</td>\n        <td>'
                yield escape(environment.call(context, environment.getattr((undefined(name='blocks') if l_0_blocks is missing else l_0_blocks), 'severity_badge'), environment.getattr(environment.getattr(l_2_fv, 'f'), 'severity'), _loop_vars=_loop_vars))
                yield '</td>\n        <td>'
                yield escape(environment.call(context, environment.getattr((undefined(name='blocks') if l_0_blocks is missing else l_0_blocks), 'status_badge'), environment.getattr(environment.getattr(l_2_fv, 'f'), 'status'), environment.getattr(l_2_fv, 'status_label'), environment.getattr(l_2_fv, 'status_symbol'), _loop_vars=_loop_vars))
                yield '</td>\n      </tr>\n'
            l_2_fv = missing
        l_1_fam = missing
        yield '    </tbody>\n  </table>\n'
    yield '</section>\n\n<section id="findings" class="chapter">\n  <h2>2. Findings by family</h2>\n'
    if (undefined(name='for_pdf') if l_0_for_pdf is missing else l_0_for_pdf):
        pass
        yield '<p class="muted">Passing and skipped findings are shown in brief: the message and the decisive numbers. Their full evidence (tables, charts) is in the HTML report and in the canonical JSON report embedded in this PDF (<code>report.json</code>). Failing, error and waived findings show all their evidence.</p>'
    l_1_loop = missing
    t_5 = 1
    for l_1_fam, l_1_loop in LoopContext(environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'families'), undefined):
        _loop_vars = {}
        pass
        yield '  <section class="family" id="'
        yield escape(environment.getattr(l_1_fam, 'anchor'))
        yield '">\n    <h3>2.'
        yield escape(environment.getattr(l_1_loop, 'index'))
        yield ' '
        yield escape(environment.getattr(l_1_fam, 'title'))
        yield ' <span class="family-counts">'
        l_2_loop = missing
        for l_2_c, l_2_loop in LoopContext(environment.getattr(l_1_fam, 'counts'), undefined):
            _loop_vars = {}
            pass
            yield escape(environment.getattr(l_2_c, 'count'))
            yield ' '
            yield escape(t_2(environment.getattr(l_2_c, 'label')))
            if (not environment.getattr(l_2_loop, 'last')):
                pass
                yield ' · '
        l_2_loop = l_2_c = missing
        yield '</span></h3>\n'
        for l_2_fv in environment.getattr(l_1_fam, 'findings'):
            _loop_vars = {}
            pass
            if ((undefined(name='for_pdf') if l_0_for_pdf is missing else l_0_for_pdf) and (environment.getattr(environment.getattr(environment.getattr(l_2_fv, 'f'), 'status'), 'value') in ('pass', 'skipped'))):
                pass
                yield escape(environment.call(context, environment.getattr((undefined(name='blocks') if l_0_blocks is missing else l_0_blocks), 'compact_finding'), l_2_fv, _loop_vars=_loop_vars))
            else:
                pass
                yield escape(environment.call(context, environment.getattr((undefined(name='blocks') if l_0_blocks is missing else l_0_blocks), 'finding'), l_2_fv, (undefined(name='for_pdf') if l_0_for_pdf is missing else l_0_for_pdf), _loop_vars=_loop_vars))
        l_2_fv = missing
        yield '  </section>\n'
        t_5 = 0
    l_1_loop = l_1_fam = missing
    if t_5:
        pass
        yield '  <p>The policy has no rules.</p>\n'
    yield '</section>\n\n<section id="waivers" class="chapter">\n  <h2>3. Waivers</h2>\n  <p class="lead">A waiver accepts a known failure for a limited time. It is approved by a named person,\n    carries a justification and an expiry date, and never hides the finding: waived findings stay in this report.\n    A waiver never applies to an <em>error</em> (missing or insufficient evidence).</p>\n  <h3>Waivers applied</h3>\n'
    if environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'waived'):
        pass
        yield '  <table class="data waivers">\n    <caption>Findings waived in this evaluation</caption>\n    <colgroup><col class="c-rule"><col class="c-who"><col><col class="c-date"><col class="c-ticket"></colgroup>\n    <thead><tr><th scope="col">Rule</th><th scope="col">Approved by</th><th scope="col">Justification</th><th scope="col">Expires</th><th scope="col">Ticket</th></tr></thead>\n    <tbody>\n'
        for l_1_fv in environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'waived'):
            l_1_w = missing
            _loop_vars = {}
            pass
            l_1_w = environment.getattr(environment.getattr(l_1_fv, 'f'), 'waiver')
            _loop_vars['w'] = l_1_w
            yield '      <tr>\n        <th scope="row"><a href="#'
            yield escape(environment.getattr(l_1_fv, 'anchor'))
            yield '">'
            yield escape(environment.getattr(environment.getattr(l_1_fv, 'f'), 'rule_id'))
            yield '</a></th>\n        <td>'
            yield escape(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'approved_by'))
            if environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'signed_by'):
                pass
                yield '<br><span class="muted">signed by '
                yield escape(environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'signed_by'), 'owner'))
                yield ' as '
                yield escape(environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'signed_by'), 'role'))
                yield ', key '
                yield escape(environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'signed_by'), 'keyid')[:16])
                yield '</span>'
            yield '</td>\n        <td>'
            yield escape(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'reason'))
            if ((environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'scope'), 'model') or environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'scope'), 'version')) or environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'scope'), 'group')):
                pass
                yield '<br><span class="muted">scope:'
                if environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'scope'), 'model'):
                    pass
                    yield ' model '
                    yield escape(environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'scope'), 'model'))
                if environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'scope'), 'version'):
                    pass
                    yield ' version '
                    yield escape(environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'scope'), 'version'))
                if environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'scope'), 'group'):
                    pass
                    yield ' group '
                    yield escape(environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'scope'), 'group'))
                yield '</span>'
            yield '</td>\n        <td>'
            yield escape(environment.call(context, environment.getattr(environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'expires'), 'isoformat'), _loop_vars=_loop_vars))
            yield '</td>\n        <td>'
            yield escape((environment.getattr((undefined(name='w') if l_1_w is missing else l_1_w), 'ticket') or '—'))
            yield '</td>\n      </tr>\n'
        l_1_fv = l_1_w = missing
        yield '    </tbody>\n  </table>\n'
    else:
        pass
        yield '  <p>No waiver applied.</p>\n'
    yield '  <h3>Waiver notices</h3>\n'
    if environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'notices'):
        pass
        yield '  <table class="data">\n    <caption>Waivers that expired, expire soon, or match no finding</caption>\n    <colgroup><col class="c-state"><col class="c-rule"><col class="c-who"><col class="c-date"><col></colgroup>\n    <thead><tr><th scope="col">State</th><th scope="col">Rule</th><th scope="col">Approved by</th><th scope="col">Expires</th><th scope="col">Notice</th></tr></thead>\n    <tbody>\n'
        for l_1_n in environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'notices'):
            _loop_vars = {}
            pass
            yield '      <tr>\n        <td><span class="badge notice-'
            yield escape(environment.getattr(l_1_n, 'state'))
            yield '">'
            if (environment.getattr(l_1_n, 'state') == 'expired'):
                pass
                yield '✗ Expired'
            elif (environment.getattr(l_1_n, 'state') == 'expiring'):
                pass
                yield '! Expiring'
            else:
                pass
                yield '– Stale'
            yield '</span></td>\n        <th scope="row">'
            yield escape(environment.getattr(environment.getattr(l_1_n, 'waiver'), 'rule_id'))
            yield '</th>\n        <td>'
            yield escape(environment.getattr(environment.getattr(l_1_n, 'waiver'), 'approved_by'))
            yield '</td>\n        <td>'
            yield escape(environment.call(context, environment.getattr(environment.getattr(environment.getattr(l_1_n, 'waiver'), 'expires'), 'isoformat'), _loop_vars=_loop_vars))
            yield '</td>\n        <td>'
            yield escape(environment.getattr(l_1_n, 'message'))
            yield '</td>\n      </tr>\n'
        l_1_n = missing
        yield '    </tbody>\n  </table>\n'
    else:
        pass
        yield '  <p>No waiver expired, expires soon, or went unused.</p>\n'
    yield '</section>\n\n<section id="coverage" class="chapter">\n  <h2>4. Framework coverage</h2>\n  <p class="lead">Which rules of this policy checked evidence for which clauses of a framework, and\n    their outcomes. This records the evidence checked; it is not a statement of conformity, and a\n    clause listed here may have requirements that no automated rule covers. Each clause shows the\n    worst outcome of its rules (fail, then error, waived, skipped, pass); rules that reference no\n    clause of a framework are listed in its last row.</p>\n'
    if (environment.getattr(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), 'status'), 'value') != 'pass'):
        pass
        yield '  <p class="cov-gate"><span class="badge badge-fail">✗ Fail</span> The release gate failed; see the summary of results for every reason.</p>\n'
    l_1_loop = missing
    t_6 = 1
    for l_1_fw, l_1_loop in LoopContext(environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'frameworks'), undefined):
        l_1_symbols = resolve('symbols')
        l_1_statuses = resolve('statuses')
        l_1_labels = resolve('labels')
        _loop_vars = {}
        pass
        yield '  <table class="data coverage">\n    <caption>'
        yield escape(environment.getattr(l_1_fw, 'name'))
        yield ': evidence checked per clause</caption>\n    <colgroup><col class="c-clause"><col><col class="c-status"><col class="c-rules"></colgroup>\n    <thead><tr><th scope="col">Clause</th><th scope="col">Subject</th><th scope="col">Worst outcome</th><th scope="col">Rules and outcomes</th></tr></thead>\n    <tbody>\n'
        for l_2_c in environment.getattr(l_1_fw, 'clauses'):
            _loop_vars = {}
            pass
            yield escape(environment.call(context, (undefined(name='coverage_row') if l_0_coverage_row is missing else l_0_coverage_row), l_2_c, _loop_vars=_loop_vars))
        l_2_c = missing
        if environment.getattr(l_1_fw, 'unmapped'):
            pass
            yield escape(environment.call(context, (undefined(name='coverage_row') if l_0_coverage_row is missing else l_0_coverage_row), environment.getattr(l_1_fw, 'unmapped'), True, _loop_vars=_loop_vars))
        if environment.getattr(l_1_fw, 'gate_reasons'):
            pass
            yield '      <tr class="cov-row cov-fail cov-gate-row">\n        <th scope="row"><em>release gate</em></th>\n        <td>Reasons outside this table</td>\n        <td><span class="badge badge-fail">'
            yield escape(environment.getitem((undefined(name='symbols') if l_1_symbols is missing else l_1_symbols), environment.getitem((undefined(name='statuses') if l_1_statuses is missing else l_1_statuses), 'fail')))
            yield ' '
            yield escape(environment.getitem((undefined(name='labels') if l_1_labels is missing else l_1_labels), environment.getitem((undefined(name='statuses') if l_1_statuses is missing else l_1_statuses), 'fail')))
            yield '</span></td>\n        <td>'
            l_2_loop = missing
            for l_2_reason, l_2_loop in LoopContext(environment.getattr(l_1_fw, 'gate_reasons'), undefined):
                _loop_vars = {}
                pass
                yield escape(l_2_reason)
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    yield '; '
            l_2_loop = l_2_reason = missing
            yield '</td>\n      </tr>\n'
        yield '    </tbody>\n  </table>\n'
        t_6 = 0
    l_1_loop = l_1_fw = l_1_symbols = l_1_statuses = l_1_labels = missing
    if t_6:
        pass
        yield '  <p>No rule of this policy references a framework clause.</p>\n'
    if (environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'unmapped') and environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'frameworks')):
        pass
        yield '  <p>Rules that reference no framework clause at all: '
        l_1_loop = missing
        for l_1_rs, l_1_loop in LoopContext(environment.getattr(environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'unmapped'), 'rules'), undefined):
            l_1_symbols = resolve('symbols')
            l_1_labels = resolve('labels')
            _loop_vars = {}
            pass
            yield '<span class="cov-rule">'
            yield escape(environment.getattr(l_1_rs, 'rule_id'))
            yield ' <span class="badge badge-'
            yield escape(environment.getattr(environment.getattr(l_1_rs, 'status'), 'value'))
            yield '">'
            yield escape(environment.getitem((undefined(name='symbols') if l_1_symbols is missing else l_1_symbols), environment.getattr(l_1_rs, 'status')))
            yield ' '
            yield escape(environment.getitem((undefined(name='labels') if l_1_labels is missing else l_1_labels), environment.getattr(l_1_rs, 'status')))
            yield '</span></span>'
            if (not environment.getattr(l_1_loop, 'last')):
                pass
                yield ' '
        l_1_loop = l_1_rs = l_1_symbols = l_1_labels = missing
        yield '</p>\n'
    elif environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'unmapped'):
        pass
        yield '  <table class="data coverage">\n    <caption>Rules that reference no framework clause</caption>\n    <colgroup><col class="c-clause"><col><col class="c-status"><col class="c-rules"></colgroup>\n    <thead><tr><th scope="col">Clause</th><th scope="col">Subject</th><th scope="col">Worst outcome</th><th scope="col">Rules and outcomes</th></tr></thead>\n    <tbody>'
        yield escape(environment.call(context, (undefined(name='coverage_row') if l_0_coverage_row is missing else l_0_coverage_row), environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'unmapped'), True))
        yield '</tbody>\n  </table>\n'
    yield '</section>\n\n<section id="inputs" class="chapter">\n  <h2>5. Inputs and environment</h2>\n  <table class="data inputs">\n    <caption>Every file read, with its SHA-256 digest</caption>\n    <colgroup><col class="c-role"><col class="c-path"><col></colgroup>\n    <thead><tr><th scope="col">Role</th><th scope="col">Path</th><th scope="col">SHA-256</th></tr></thead>\n    <tbody>\n'
    for l_1_i in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'inputs'):
        _loop_vars = {}
        pass
        yield '      <tr><td class="role">'
        yield escape(environment.getattr(l_1_i, 'role'))
        yield '</td><th scope="row"><code>'
        yield escape(environment.getattr(l_1_i, 'path'))
        yield '</code></th><td><code class="digest">'
        yield escape(environment.getattr(l_1_i, 'sha256'))
        yield '</code></td></tr>\n'
    l_1_i = missing
    yield '    </tbody>\n  </table>\n'
    if environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'policy'), 'files'):
        pass
        yield '  <p>Policy files: '
        l_1_loop = missing
        for l_1_p, l_1_loop in LoopContext(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'policy'), 'files'), undefined):
            _loop_vars = {}
            pass
            yield '<code>'
            yield escape(l_1_p)
            yield '</code>'
            if (not environment.getattr(l_1_loop, 'last')):
                pass
                yield ', '
        l_1_loop = l_1_p = missing
        yield '.</p>\n'
    yield '  <table class="kv env">\n    <caption>Environment the evidence was computed in</caption>\n    <tbody>\n'
    t_7 = 1
    for (l_1_k, l_1_val) in t_1(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'environment')):
        _loop_vars = {}
        pass
        yield '      <tr><th scope="row">'
        yield escape(l_1_k)
        yield '</th><td>'
        yield escape(l_1_val)
        yield '</td></tr>\n'
        t_7 = 0
    l_1_k = l_1_val = missing
    if t_7:
        pass
        yield '      <tr><td colspan="2">not recorded</td></tr>\n'
    yield '    </tbody>\n  </table>\n</section>\n\n<section id="signoff" class="chapter">\n  <h2>6. Sign-off</h2>\n'
    if environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'signatures'):
        pass
        yield '  <p>Who signed this report: the author and every approver, each with a role and a decision.\n    Signatures are carried in the DSSE sign-off bundle (<code>report.dsse.json</code>, over the\n    canonical JSON report and the rendered files) and, for the PDF, in the file itself (PAdES:\n    your PDF reader\'s signature panel lists them). Approvals added after this page was rendered\n    appear in the signature panel and in <code>governance verify</code>.</p>\n  <table class="data signatures">\n    <caption>Signers</caption>\n    <colgroup><col class="c-who"><col class="c-sigrole"><col class="c-decision"><col class="c-signed"><col></colgroup>\n    <thead><tr><th scope="col">Signer</th><th scope="col">Role</th><th scope="col">Decision</th><th scope="col">Signed at</th><th scope="col">Signature</th></tr></thead>\n'
        for l_1_s in environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'signatures'):
            _loop_vars = {}
            pass
            yield '    <tbody class="signature">\n      <tr class="sig-main">\n        <th scope="row">'
            yield escape((environment.getattr(environment.getattr(l_1_s, 'info'), 'signer') or 'unnamed signer'))
            yield '</th>\n        <td>'
            yield escape(environment.getattr(environment.getattr(l_1_s, 'info'), 'role'))
            yield '</td>\n        <td>'
            yield escape((environment.getattr(environment.getattr(l_1_s, 'info'), 'decision') or '—'))
            yield '</td>\n        <td>'
            yield escape(environment.getattr(l_1_s, 'signed'))
            yield '</td>\n        <td><span class="sig sig-'
            yield escape(environment.getattr(l_1_s, 'state'))
            yield '">'
            yield escape(environment.getattr(l_1_s, 'state_text'))
            yield '</span></td>\n      </tr>\n      <tr class="sig-extra"><td colspan="5">Key id <code class="digest">'
            yield escape(environment.getattr(environment.getattr(l_1_s, 'info'), 'keyid'))
            yield '</code>'
            if environment.getattr(environment.getattr(l_1_s, 'info'), 'comment'):
                pass
                yield '<br>Comment: '
                yield escape(environment.getattr(environment.getattr(l_1_s, 'info'), 'comment'))
            yield '</td></tr>\n    </tbody>\n'
        l_1_s = missing
        yield '  </table>\n'
    else:
        pass
        yield '  <div class="unsigned">\n    <p><strong>This report is unsigned.</strong> No signing key was used for this run, so nobody\n      has signed or approved it. Sign it with <code>governance check --sign-key KEY</code> (or\n      <code>governance sign</code>); approvers co-sign with <code>governance approve</code>, and\n      <code>governance verify</code> checks the result.</p>\n  </div>\n'
    yield '</section>\n'
    if (undefined(name='trends') if l_0_trends is missing else l_0_trends):
        pass
        template = environment.get_template('_trends.html.j2', 'report.html.j2')
        gen = template.root_render_func(template.new_context(context.get_all(), True, {'blocks': l_0_blocks, 'coverage_row': l_0_coverage_row, 'r': l_0_r}))
        try:
            for event in gen:
                yield event
        finally: gen.close()
    yield '</main>\n\n<footer class="legend">\n  <h2 class="legend-heading">Status legend</h2>\n  <dl>\n'
    for l_1_s in environment.getattr((undefined(name='v') if l_0_v is missing else l_0_v), 'status_labels'):
        l_1_statuses = resolve('statuses')
        l_1_symbols = resolve('symbols')
        l_1_meanings = resolve('meanings')
        _loop_vars = {}
        pass
        yield '    <dt>'
        yield escape(environment.call(context, environment.getattr((undefined(name='blocks') if l_0_blocks is missing else l_0_blocks), 'status_badge'), environment.getitem((undefined(name='statuses') if l_1_statuses is missing else l_1_statuses), environment.getattr(l_1_s, 'key')), environment.getattr(l_1_s, 'label'), environment.getitem((undefined(name='symbols') if l_1_symbols is missing else l_1_symbols), environment.getitem((undefined(name='statuses') if l_1_statuses is missing else l_1_statuses), environment.getattr(l_1_s, 'key'))), _loop_vars=_loop_vars))
        yield '</dt><dd>'
        yield escape(environment.getitem((undefined(name='meanings') if l_1_meanings is missing else l_1_meanings), environment.getitem((undefined(name='statuses') if l_1_statuses is missing else l_1_statuses), environment.getattr(l_1_s, 'key'))))
        yield '</dd>\n'
    l_1_s = l_1_statuses = l_1_symbols = l_1_meanings = missing
    yield '  </dl>\n  <p class="muted">Generated by '
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'tool'), 'name'))
    yield ' '
    yield escape(environment.getattr(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'tool'), 'version'))
    yield ' from report '
    yield escape(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'report_id'))
    yield '.\n'
    if (undefined(name='for_pdf') if l_0_for_pdf is missing else l_0_for_pdf):
        pass
        yield 'The canonical JSON report is embedded in this PDF as the attachment <code>report.json</code>.'
    yield '</p>\n</footer>\n</body>\n</html>\n'

blocks = {}
debug_info = '5=34&6=36&7=39&8=50&9=60&10=75&11=87&12=95&20=122&21=126&22=136&23=138&24=140&26=142&32=149&33=153&35=159&37=161&39=168&40=170&42=172&45=175&53=184&54=186&55=188&56=190&57=194&58=196&59=198&60=200&64=206&75=208&87=212&91=220&92=224&93=228&94=240&98=244&99=252&103=254&109=257&111=261&112=263&113=265&114=269&123=279&133=285&135=292&136=296&137=298&138=300&139=302&149=308&150=313&151=317&152=319&153=335&166=352&172=355&174=362&175=366&176=377&177=395&178=397&187=405&193=408&195=412&196=424&197=426&198=428&199=430&216=438&219=443&221=450&225=452&226=457&227=460&231=463&232=468&240=483&241=487&242=506&247=509&259=512&260=516&264=524&265=528&270=541&271=545&281=555&291=558&294=562&295=564&296=566&297=568&298=570&300=574&313=587&319=596&320=603&323=609&324=615'