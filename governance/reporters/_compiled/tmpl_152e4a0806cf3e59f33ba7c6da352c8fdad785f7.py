from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_trends.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_trends = resolve('trends')
    l_0_charts = l_0_d = missing
    try:
        t_1 = environment.filters['format']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'format' found.")
    try:
        t_2 = environment.filters['num']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'num' found.")
    try:
        t_3 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    l_0_charts = context.vars['charts'] = environment.get_template('_charts.html.j2', '_trends.html.j2')._get_default_module(context)
    context.exported_vars.discard('charts')
    l_0_d = environment.getattr((undefined(name='trends') if l_0_trends is missing else l_0_trends), 'changes')
    context.vars['d'] = l_0_d
    context.exported_vars.add('d')
    yield '<section id="trends" class="chapter">\n  <h2>7. Trends and changes since the previous release</h2>\n  <p>From the release ledger: this release and the '
    yield escape((environment.getattr((undefined(name='trends') if l_0_trends is missing else l_0_trends), 'releases') - 1))
    yield ' before it, oldest\n    first. Compared with the previous release <strong>'
    yield escape(environment.getattr((undefined(name='trends') if l_0_trends is missing else l_0_trends), 'previous'))
    yield '</strong> (verdict\n    '
    yield escape(environment.getitem(environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'verdict'), 0))
    yield ', now '
    yield escape(environment.getitem(environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'verdict'), 1))
    yield ').</p>\n  <h3>Changes since '
    yield escape(environment.getattr((undefined(name='trends') if l_0_trends is missing else l_0_trends), 'previous'))
    yield '</h3>\n  <table class="data changes">\n    <caption>Rules whose status changed</caption>\n    <thead><tr><th scope="col">Change</th><th scope="col">Rule</th><th scope="col">Before</th><th scope="col">Now</th><th scope="col">Title</th></tr></thead>\n    <tbody>\n'
    for (l_1_name, l_1_items) in (('new failure', environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'new_failures')), ('fixed', environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'fixed')), ('changed', environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'other_changes'))):
        _loop_vars = {}
        pass
        for l_2_c in l_1_items:
            _loop_vars = {}
            pass
            yield '      <tr><td>'
            yield escape(l_1_name)
            yield '</td><th scope="row">'
            yield escape(environment.getattr(l_2_c, 'rule_id'))
            yield '</th><td>'
            yield escape((environment.getattr(l_2_c, 'before') or 'absent'))
            yield '</td><td>'
            yield escape((environment.getattr(l_2_c, 'after') or 'absent'))
            yield '</td><td>'
            yield escape(environment.getattr(l_2_c, 'title'))
            yield '</td></tr>\n'
        l_2_c = missing
    l_1_name = l_1_items = missing
    if (not ((environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'new_failures') or environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'fixed')) or environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'other_changes'))):
        pass
        yield '<tr><td colspan="5">No rule changed status.</td></tr>'
    yield '    </tbody>\n  </table>\n'
    if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'metrics'):
        pass
        yield '  <table class="data deltas">\n    <caption>Recomputed metrics and fairness gaps: previous and current value with confidence intervals</caption>\n    <thead><tr><th scope="col">Rule</th><th scope="col">Value</th><th scope="col" class="num">Previous</th><th scope="col" class="num">Current</th><th scope="col" class="num">Change</th><th scope="col" class="num">Threshold</th></tr></thead>\n    <tbody>\n'
        for l_1_m in environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'metrics'):
            _loop_vars = {}
            pass
            yield '      <tr><th scope="row">'
            yield escape(environment.getattr(l_1_m, 'rule_id'))
            yield '</th><td>'
            yield escape(environment.getattr(l_1_m, 'title'))
            yield '</td>\n        <td class="num">'
            yield escape(t_2(environment.getattr(environment.getattr(l_1_m, 'before'), 'value')))
            if (not t_3(environment.getattr(environment.getattr(l_1_m, 'before'), 'ci_lower'))):
                pass
                yield ' ['
                yield escape(t_2(environment.getattr(environment.getattr(l_1_m, 'before'), 'ci_lower')))
                yield ', '
                yield escape(t_2(environment.getattr(environment.getattr(l_1_m, 'before'), 'ci_upper')))
                yield ']'
            yield '</td>\n        <td class="num">'
            yield escape(t_2(environment.getattr(environment.getattr(l_1_m, 'after'), 'value')))
            if (not t_3(environment.getattr(environment.getattr(l_1_m, 'after'), 'ci_lower'))):
                pass
                yield ' ['
                yield escape(t_2(environment.getattr(environment.getattr(l_1_m, 'after'), 'ci_lower')))
                yield ', '
                yield escape(t_2(environment.getattr(environment.getattr(l_1_m, 'after'), 'ci_upper')))
                yield ']'
            yield '</td>\n        <td class="num">'
            if (not t_3(environment.getattr(l_1_m, 'delta'))):
                pass
                yield escape(t_1('%+.4f', environment.getattr(l_1_m, 'delta')))
            else:
                pass
                yield '—'
            yield '</td>\n        <td class="num">'
            yield escape(t_2(environment.getattr(environment.getattr(l_1_m, 'after'), 'threshold')))
            yield '</td></tr>\n'
        l_1_m = missing
        yield '    </tbody>\n  </table>\n'
    if ((environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'waivers_added') or environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'waivers_removed')) or environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'waivers_changed')):
        pass
        yield '  <ul class="waiver-changes">\n'
        for l_1_w in environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'waivers_added'):
            _loop_vars = {}
            pass
            yield '<li>Waiver added: '
            yield escape(l_1_w)
            yield '</li>'
        l_1_w = missing
        for l_1_w in environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'waivers_removed'):
            _loop_vars = {}
            pass
            yield '<li>Waiver removed: '
            yield escape(l_1_w)
            yield '</li>'
        l_1_w = missing
        for l_1_w in environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'waivers_changed'):
            _loop_vars = {}
            pass
            yield '<li>Waiver changed: '
            yield escape(l_1_w)
            yield '</li>'
        l_1_w = missing
        yield '  </ul>\n'
    for l_1_t in environment.getattr((undefined(name='trends') if l_0_trends is missing else l_0_trends), 'trends'):
        _loop_vars = {}
        pass
        yield '  <figure class="evidence trend">\n    <figcaption><span class="ev-kind">Trend</span> '
        yield escape(environment.getattr(l_1_t, 'rule_id'))
        yield ': '
        yield escape(environment.getattr(l_1_t, 'title'))
        yield '</figcaption>\n    '
        yield escape(environment.call(context, environment.getattr((undefined(name='charts') if l_0_charts is missing else l_0_charts), 'trend_chart'), environment.getattr(l_1_t, 'chart'), environment.getattr(l_1_t, 'alt'), _loop_vars=_loop_vars))
        yield '\n    <table class="data">\n      <caption class="visually-hidden">'
        yield escape(environment.getattr(l_1_t, 'title'))
        yield ' by release</caption>\n      <thead><tr><th scope="col">Release</th><th scope="col" class="num">Value</th><th scope="col" class="num">Confidence interval</th><th scope="col" class="num">Threshold</th></tr></thead>\n      <tbody>\n'
        for l_2_p in environment.getattr(environment.getattr(l_1_t, 'chart'), 'points'):
            _loop_vars = {}
            pass
            yield '<tr><th scope="row">'
            yield escape(environment.getattr(l_2_p, 'release'))
            if environment.getattr(l_2_p, 'current'):
                pass
                yield ' (this report)'
            yield '</th><td class="num">'
            yield escape(environment.getattr(l_2_p, 'value_text'))
            yield '</td><td class="num">'
            yield escape((environment.getattr(l_2_p, 'ci_text') or '—'))
            yield '</td><td class="num">'
            yield escape(environment.getattr(l_2_p, 'threshold_text'))
            yield '</td></tr>'
        l_2_p = missing
        yield '      </tbody>\n    </table>\n  </figure>\n'
    l_1_t = missing
    yield '</section>\n'

blocks = {}
debug_info = '3=31&4=33&7=37&8=39&9=41&10=45&15=47&16=54&18=66&21=70&26=73&27=77&28=81&29=90&30=99&31=106&36=110&38=113&39=120&40=127&43=135&45=139&46=143&48=145&51=147'