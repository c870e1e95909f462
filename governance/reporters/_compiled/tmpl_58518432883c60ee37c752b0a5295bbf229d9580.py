from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_blocks.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_charts = l_0_status_badge = l_0_severity_badge = l_0_cell = l_0_listing = l_0_dataset = l_0_model_summary = l_0_fact = l_0_evidence_block = l_0_finding = l_0_fact_inline = l_0_compact_finding = missing
    try:
        t_1 = environment.filters['capitalize']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'capitalize' found.")
    try:
        t_2 = environment.filters['dictsort']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'dictsort' found.")
    try:
        t_3 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_4 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    try:
        t_5 = environment.filters['list']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'list' found.")
    try:
        t_6 = environment.filters['lower']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'lower' found.")
    try:
        t_7 = environment.filters['num']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'num' found.")
    try:
        t_8 = environment.filters['percent']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No filter named 'percent' found.")
    try:
        t_9 = environment.filters['replace']
    except KeyError:
        @internalcode
        def t_9(*unused):
            raise TemplateRuntimeError("No filter named 'replace' found.")
    try:
        t_10 = environment.filters['selectattr']
    except KeyError:
        @internalcode
        def t_10(*unused):
            raise TemplateRuntimeError("No filter named 'selectattr' found.")
    try:
        t_11 = environment.filters['value']
    except KeyError:
        @internalcode
        def t_11(*unused):
            raise TemplateRuntimeError("No filter named 'value' found.")
    try:
        t_12 = environment.tests['boolean']
    except KeyError:
        @internalcode
        def t_12(*unused):
            raise TemplateRuntimeError("No test named 'boolean' found.")
    try:
        t_13 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_13(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    try:
        t_14 = environment.tests['number']
    except KeyError:
        @internalcode
        def t_14(*unused):
            raise TemplateRuntimeError("No test named 'number' found.")
    pass
    l_0_charts = context.vars['charts'] = environment.get_template('_charts.html.j2', '_blocks.html.j2')._get_default_module(context)
    context.exported_vars.discard('charts')
    yield '\n'
    def macro(l_1_status, l_1_label, l_1_symbol):
        t_15 = []
        if l_1_status is missing:
            l_1_status = undefined("parameter 'status' was not provided", name='status')
        if l_1_label is missing:
            l_1_label = undefined("parameter 'label' was not provided", name='label')
        if l_1_symbol is missing:
            l_1_symbol = undefined("parameter 'symbol' was not provided", name='symbol')
        pass
        t_15.extend((
            '<span class="badge badge-',
            escape(environment.getattr(l_1_status, 'value')),
            '">',
            escape(l_1_symbol),
            ' ',
            escape(l_1_label),
            '</span>',
        ))
        return concat(t_15)
    context.exported_vars.add('status_badge')
    context.vars['status_badge'] = l_0_status_badge = Macro(environment, macro, 'status_badge', ('status', 'label', 'symbol'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_sev):
        t_16 = []
        if l_1_sev is missing:
            l_1_sev = undefined("parameter 'sev' was not provided", name='sev')
        pass
        t_16.extend((
            '<span class="sev sev-',
            escape(environment.getattr(l_1_sev, 'value')),
            '">',
            escape(t_1(environment.getattr(l_1_sev, 'value'))),
            '</span>',
        ))
        return concat(t_16)
    context.exported_vars.add('severity_badge')
    context.vars['severity_badge'] = l_0_severity_badge = Macro(environment, macro, 'severity_badge', ('sev',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_value, l_1_digits, l_1_digest):
        t_17 = []
        if l_1_value is missing:
            l_1_value = undefined("parameter 'value' was not provided", name='value')
        if l_1_digits is missing:
            l_1_digits = 4
        if l_1_digest is missing:
            l_1_digest = False
        pass
        if (t_14(l_1_value) and (not t_12(l_1_value))):
            pass
            t_17.extend((
                '<td class="num">',
                escape(t_7(l_1_value, l_1_digits)),
                '</td>',
            ))
        elif l_1_digest:
            pass
            t_17.extend((
                '<td><code class="digest">',
                escape(t_11(l_1_value, l_1_digits)),
                '</code></td>',
            ))
        else:
            pass
            t_17.extend((
                '<td>',
                escape(t_11(l_1_value, l_1_digits)),
                '</td>',
            ))
        return concat(t_17)
    context.exported_vars.add('cell')
    context.vars['cell'] = l_0_cell = Macro(environment, macro, 'cell', ('value', 'digits', 'digest'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_items):
        t_18 = []
        if l_1_items is missing:
            l_1_items = undefined("parameter 'items' was not provided", name='items')
        pass
        if l_1_items:
            pass
            if (t_4(l_1_items) == 1):
                pass
                t_18.append(
                    escape(environment.getitem(l_1_items, 0)),
                )
            else:
                pass
                t_18.append(
                    '<ul class="plain">',
                )
                for l_2_i in l_1_items:
                    _loop_vars = {}
                    pass
                    t_18.extend((
                        '<li>',
                        escape(l_2_i),
                        '</li>',
                    ))
                l_2_i = missing
                t_18.append(
                    '</ul>',
                )
        else:
            pass
            t_18.append(
                '<span class="muted">not stated in the model card</span>',
            )
        return concat(t_18)
    context.exported_vars.add('listing')
    context.vars['listing'] = l_0_listing = Macro(environment, macro, 'listing', ('items',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_d):
        t_19 = []
        if l_1_d is missing:
            l_1_d = undefined("parameter 'd' was not provided", name='d')
        pass
        if l_1_d:
            pass
            t_19.append(
                escape(environment.getattr(l_1_d, 'name')),
            )
            if (not t_13(environment.getattr(l_1_d, 'rows'))):
                pass
                t_19.extend((
                    ', ',
                    escape(t_7(environment.getattr(l_1_d, 'rows'))),
                    ' rows',
                ))
            if environment.getattr(l_1_d, 'source'):
                pass
                t_19.extend((
                    '; source: ',
                    escape(environment.getattr(l_1_d, 'source')),
                ))
            if environment.getattr(l_1_d, 'license'):
                pass
                t_19.extend((
                    '; licence: ',
                    escape(environment.getattr(l_1_d, 'license')),
                ))
            if environment.getattr(l_1_d, 'description'):
                pass
                t_19.extend((
                    '<br>',
                    escape(environment.getattr(l_1_d, 'description')),
                ))
        else:
            pass
            t_19.append(
                '<span class="muted">not stated in the model card</span>',
            )
        return concat(t_19)
    context.exported_vars.add('dataset')
    context.vars['dataset'] = l_0_dataset = Macro(environment, macro, 'dataset', ('d',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_c):
        t_20 = []
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        pass
        t_20.append(
            '<section class="model-summary" aria-labelledby="model-heading">\n  <h2 id="model-heading" class="model-heading">What the model is</h2>\n',
        )
        if l_1_c:
            pass
            if environment.getattr(l_1_c, 'description'):
                pass
                t_20.extend((
                    '<p class="model-description">',
                    escape(environment.getattr(l_1_c, 'description')),
                    '</p>',
                ))
            t_20.append(
                '  <table class="kv model">\n    <caption class="visually-hidden">The model card\'s statements about the model</caption>\n    <tbody>\n      <tr><th scope="row">Risk tier</th><td>',
            )
            if environment.getattr(l_1_c, 'risk_tier'):
                pass
                t_20.extend((
                    '<strong>',
                    escape(environment.getattr(l_1_c, 'risk_tier')),
                    '</strong>',
                ))
            else:
                pass
                t_20.append(
                    '<span class="muted">not stated in the model card</span>',
                )
            t_20.append(
                '</td></tr>\n      <tr><th scope="row">Task',
            )
            if environment.getattr(l_1_c, 'algorithm'):
                pass
                t_20.append(
                    ' and algorithm',
                )
            t_20.extend((
                '</th><td>',
                escape(t_9(context.eval_ctx, (environment.getattr(l_1_c, 'task') or '—'), '_', ' ')),
            ))
            if environment.getattr(l_1_c, 'algorithm'):
                pass
                t_20.extend((
                    '; ',
                    escape(environment.getattr(l_1_c, 'algorithm')),
                ))
            t_20.extend((
                '</td></tr>\n      <tr><th scope="row">Intended use</th><td>',
                escape(environment.call(context, (undefined(name='listing') if l_0_listing is missing else l_0_listing), environment.getattr(l_1_c, 'primary_uses'))),
                '</td></tr>\n',
            ))
            if environment.getattr(l_1_c, 'primary_users'):
                pass
                t_20.extend((
                    '<tr><th scope="row">Intended users</th><td>',
                    escape(environment.call(context, (undefined(name='listing') if l_0_listing is missing else l_0_listing), environment.getattr(l_1_c, 'primary_users'))),
                    '</td></tr>',
                ))
            t_20.extend((
                '      <tr><th scope="row">Out of scope</th><td>',
                escape(environment.call(context, (undefined(name='listing') if l_0_listing is missing else l_0_listing), environment.getattr(l_1_c, 'out_of_scope'))),
                '</td></tr>\n      <tr><th scope="row">Limitations</th><td>',
                escape(environment.call(context, (undefined(name='listing') if l_0_listing is missing else l_0_listing), environment.getattr(l_1_c, 'limitations'))),
                '</td></tr>\n      <tr><th scope="row">Owners</th><td>',
            ))
            if environment.getattr(l_1_c, 'owners'):
                pass
                t_20.append(
                    '<ul class="plain">',
                )
                for l_2_o in environment.getattr(l_1_c, 'owners'):
                    _loop_vars = {}
                    pass
                    t_20.extend((
                        '<li>',
                        escape(environment.getattr(l_2_o, 'name')),
                    ))
                    if environment.getattr(l_2_o, 'role'):
                        pass
                        t_20.extend((
                            ' (',
                            escape(environment.getattr(l_2_o, 'role')),
                            ')',
                        ))
                    if environment.getattr(l_2_o, 'email'):
                        pass
                        t_20.extend((
                            ', ',
                            escape(environment.getattr(l_2_o, 'email')),
                        ))
                    t_20.append(
                        '</li>',
                    )
                l_2_o = missing
                t_20.append(
                    '</ul>',
                )
            else:
                pass
                t_20.append(
                    '<span class="muted">not stated in the model card</span>',
                )
            t_20.extend((
                '</td></tr>\n      <tr><th scope="row">Training data</th><td>',
                escape(environment.call(context, (undefined(name='dataset') if l_0_dataset is missing else l_0_dataset), environment.getattr(l_1_c, 'training_data'))),
                '</td></tr>\n      <tr><th scope="row">Evaluation data</th><td>',
                escape(environment.call(context, (undefined(name='dataset') if l_0_dataset is missing else l_0_dataset), environment.getattr(l_1_c, 'evaluation_data'))),
                '</td></tr>\n      <tr><th scope="row">Sensitive features</th><td>',
            ))
            if environment.getattr(l_1_c, 'sensitive_features'):
                pass
                t_20.append(
                    escape(t_3(context.eval_ctx, environment.getattr(l_1_c, 'sensitive_features'), ', ')),
                )
            else:
                pass
                t_20.append(
                    '<span class="muted">none declared in the model card</span>',
                )
            t_20.append(
                '</td></tr>\n    </tbody>\n  </table>\n  <p class="muted">As stated by the model card; the findings below check what can be checked.</p>\n',
            )
        else:
            pass
            t_20.append(
                '  <p class="muted">This report does not record the model card\'s statements (it was written by an\n    older version); see the model card itself.</p>\n',
            )
        t_20.append(
            '</section>\n',
        )
        return concat(t_20)
    context.exported_vars.add('model_summary')
    context.vars['model_summary'] = l_0_model_summary = Macro(environment, macro, 'model_summary', ('c',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_fv):
        t_21 = []
        if l_1_fv is missing:
            l_1_fv = undefined("parameter 'fv' was not provided", name='fv')
        pass
        if (environment.getattr(l_1_fv, 'kind') == 'text'):
            pass
            t_21.append(
                escape(environment.getattr(l_1_fv, 'text')),
            )
        elif (environment.getattr(l_1_fv, 'kind') == 'kv'):
            pass
            t_21.append(
                '<ul class="fact-kv">',
            )
            for (l_2_k, l_2_val) in environment.getattr(l_1_fv, 'rows'):
                _loop_vars = {}
                pass
                t_21.extend((
                    '<li><span class="fact-key">',
                    escape(l_2_k),
                    '</span> ',
                    escape(l_2_val),
                    '</li>',
                ))
            l_2_k = l_2_val = missing
            t_21.append(
                '</ul>',
            )
        else:
            pass
            t_21.append(
                '<table class="data fact-table">\n  <thead><tr>',
            )
            l_2_loop = missing
            for l_2_c, l_2_loop in LoopContext(environment.getattr(l_1_fv, 'columns'), undefined):
                _loop_vars = {}
                pass
                t_21.append(
                    '<th scope="col"',
                )
                if (environment.getattr(l_1_fv, 'cells') and environment.getattr(environment.getitem(environment.getitem(environment.getattr(l_1_fv, 'cells'), 0), environment.getattr(l_2_loop, 'index0')), 'numeric')):
                    pass
                    t_21.append(
                        ' class="num"',
                    )
                t_21.extend((
                    '>',
                    escape(l_2_c),
                    '</th>',
                ))
            l_2_loop = l_2_c = missing
            t_21.append(
                '</tr></thead>\n  <tbody>',
            )
            for l_2_row in environment.getattr(l_1_fv, 'cells'):
                _loop_vars = {}
                pass
                t_21.append(
                    '<tr>',
                )
                for l_3_cell in l_2_row:
                    _loop_vars = {}
                    pass
                    t_21.append(
                        '<td',
                    )
                    if environment.getattr(l_3_cell, 'numeric'):
                        pass
                        t_21.append(
                            ' class="num"',
                        )
                    elif environment.getattr(l_3_cell, 'digest'):
                        pass
                        t_21.append(
                            ' class="digest"',
                        )
                    t_21.extend((
                        '>',
                        escape(environment.getattr(l_3_cell, 'text')),
                        '</td>',
                    ))
                l_3_cell = missing
                t_21.append(
                    '</tr>',
                )
            l_2_row = missing
            t_21.append(
                '</tbody>\n</table>',
            )
        return concat(t_21)
    context.exported_vars.add('fact')
    context.vars['fact'] = l_0_fact = Macro(environment, macro, 'fact', ('fv',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_ev):
        t_22 = []
        l_1_b = missing
        if l_1_ev is missing:
            l_1_ev = undefined("parameter 'ev' was not provided", name='ev')
        pass
        l_1_b = environment.getattr(l_1_ev, 'block')
        if (environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'type') == 'group_metric'):
            pass
            t_22.extend((
                '<figure class="evidence group-metric">\n  <figcaption><span class="ev-kind">Per-group metric</span> ',
                escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'title')),
            ))
            if (t_9(context.eval_ctx, t_6(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'title')), '_', ' ') != t_9(context.eval_ctx, t_6(markup_join((environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'metric'), ' by ', environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'feature'), ))), '_', ' ')):
                pass
                t_22.extend((
                    ' <span class="muted">(',
                    escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'metric')),
                    ' by ',
                    escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'feature')),
                    ')</span>',
                ))
            t_22.append(
                '</figcaption>\n',
            )
            if environment.getattr(l_1_ev, 'chart'):
                pass
                t_22.append(
                    escape(environment.call(context, environment.getattr((undefined(name='charts') if l_0_charts is missing else l_0_charts), 'bar_chart'), environment.getattr(l_1_ev, 'chart'), (undefined(name='b') if l_1_b is missing else l_1_b), environment.getattr(l_1_ev, 'alt'))),
                )
                if environment.getattr(environment.getattr(l_1_ev, 'chart'), 'omitted'):
                    pass
                    t_22.extend((
                        '  <p class="muted">The chart shows the first ',
                        escape(t_4(environment.getattr(environment.getattr(l_1_ev, 'chart'), 'bars'))),
                        ' groups; the table lists all ',
                        escape(t_4(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'groups'))),
                        '.</p>',
                    ))
            t_22.extend((
                '  <table class="data">\n    <caption class="visually-hidden">',
                escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'title')),
                ': ',
                escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'metric')),
                ' per group of ',
                escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'feature')),
                '</caption>\n    <thead><tr>\n      <th scope="col">Group</th><th scope="col" class="num">n</th><th scope="col" class="num">',
                escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'metric')),
                '</th>\n      <th scope="col" class="num">CI lower</th><th scope="col" class="num">CI upper</th><th scope="col">Flagged</th>\n    </tr></thead>\n    <tbody>\n',
            ))
            for l_2_g in environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'groups'):
                _loop_vars = {}
                pass
                t_22.append(
                    '      <tr',
                )
                if environment.getattr(l_2_g, 'flagged'):
                    pass
                    t_22.append(
                        ' class="flagged"',
                    )
                t_22.extend((
                    '>\n        <th scope="row">',
                    escape(environment.getattr(l_2_g, 'group')),
                    '</th>\n        <td class="num">',
                    escape(t_7(environment.getattr(l_2_g, 'n'), environment.getattr(l_1_ev, 'digits'))),
                    '</td>\n        <td class="num">',
                    escape(t_7(environment.getattr(l_2_g, 'value'), environment.getattr(l_1_ev, 'digits'))),
                    '</td>\n        <td class="num">',
                    escape(t_7(environment.getattr(l_2_g, 'ci_lower'), environment.getattr(l_1_ev, 'digits'))),
                    '</td>\n        <td class="num">',
                    escape(t_7(environment.getattr(l_2_g, 'ci_upper'), environment.getattr(l_1_ev, 'digits'))),
                    '</td>\n        <td>',
                ))
                if environment.getattr(l_2_g, 'flagged'):
                    pass
                    t_22.append(
                        '<strong>⚠ yes</strong>',
                    )
                else:
                    pass
                    t_22.append(
                        'no',
                    )
                t_22.append(
                    '</td>\n      </tr>\n',
                )
            l_2_g = missing
            t_22.append(
                '    </tbody>\n',
            )
            if ((not t_13(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'overall'))) or (not t_13(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'threshold')))):
                pass
                t_22.append(
                    '    <tfoot><tr><td colspan="6">\n',
                )
                if (not t_13(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'overall'))):
                    pass
                    t_22.extend((
                        'Overall: ',
                        escape(t_7(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'overall'), environment.getattr(l_1_ev, 'digits'))),
                        '. ',
                    ))
                if (not t_13(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'threshold'))):
                    pass
                    t_22.extend((
                        'Threshold (',
                        escape((environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'threshold_label') or 'threshold')),
                        '): ',
                        escape(t_7(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'threshold'), environment.getattr(l_1_ev, 'digits'))),
                        '.',
                    ))
                t_22.append(
                    '    </td></tr></tfoot>\n',
                )
            t_22.append(
                '  </table>\n</figure>\n',
            )
        elif (environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'type') == 'interval'):
            pass
            t_22.extend((
                '<figure class="evidence interval">\n  <figcaption><span class="ev-kind">Estimate with confidence interval</span> ',
                escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'title')),
                '</figcaption>\n',
            ))
            if environment.getattr(l_1_ev, 'chart'):
                pass
                t_22.append(
                    escape(environment.call(context, environment.getattr((undefined(name='charts') if l_0_charts is missing else l_0_charts), 'interval_chart'), environment.getattr(l_1_ev, 'chart'), (undefined(name='b') if l_1_b is missing else l_1_b), environment.getattr(l_1_ev, 'alt'))),
                )
            t_22.extend((
                '  <table class="data">\n    <caption class="visually-hidden">',
                escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'title')),
                '</caption>\n    <thead><tr>\n      <th scope="col">Metric</th><th scope="col" class="num">Value</th><th scope="col" class="num">CI lower</th>\n      <th scope="col" class="num">CI upper</th><th scope="col" class="num">Confidence</th><th scope="col">Method</th>\n      <th scope="col" class="num">n</th><th scope="col" class="num">Threshold</th>\n    </tr></thead>\n    <tbody><tr>\n      <th scope="row">',
                escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'metric')),
                '</th><td class="num">',
                escape(t_7(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'value'), environment.getattr(l_1_ev, 'digits'))),
                '</td><td class="num">',
                escape(t_7(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'ci_lower'), environment.getattr(l_1_ev, 'digits'))),
                '</td>\n      <td class="num">',
                escape(t_7(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'ci_upper'), environment.getattr(l_1_ev, 'digits'))),
                '</td><td class="num">',
                escape(t_8(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'confidence'))),
                '</td><td>',
                escape((environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'method') or '—')),
                '</td>\n      <td class="num">',
                escape(t_7(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'n'), environment.getattr(l_1_ev, 'digits'))),
                '</td><td class="num">',
                escape(t_7(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'threshold'), environment.getattr(l_1_ev, 'digits'))),
                '</td>\n    </tr></tbody>\n  </table>\n</figure>\n',
            ))
        elif (environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'type') == 'table'):
            pass
            t_22.append(
                '<figure class="evidence table">\n  <table class="data',
            )
            if (t_4(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'columns')) > 6):
                pass
                t_22.append(
                    ' wide',
                )
            elif (t_4(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'columns')) < 4):
                pass
                t_22.append(
                    ' narrow',
                )
            if (True in environment.getattr(l_1_ev, 'digest')):
                pass
                t_22.append(
                    ' digests',
                )
            t_22.extend((
                '">\n    <caption><span class="ev-kind">Table</span> ',
                escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'title')),
                '</caption>\n    <thead><tr>',
            ))
            l_2_loop = missing
            for l_2_c, l_2_loop in LoopContext(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'columns'), undefined):
                _loop_vars = {}
                pass
                t_22.append(
                    '<th scope="col"',
                )
                if environment.getitem(environment.getattr(l_1_ev, 'numeric'), environment.getattr(l_2_loop, 'index0')):
                    pass
                    t_22.append(
                        ' class="num"',
                    )
                t_22.extend((
                    '>',
                    escape(l_2_c),
                    '</th>',
                ))
            l_2_loop = l_2_c = missing
            t_22.append(
                '</tr></thead>\n    <tbody>\n',
            )
            l_2_loop = missing
            t_23 = 1
            for l_2_row, l_2_loop in LoopContext(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'rows'), undefined):
                _loop_vars = {}
                pass
                t_22.append(
                    '      <tr>',
                )
                l_3_loop = missing
                for l_3_v, l_3_loop in LoopContext(l_2_row, undefined):
                    _loop_vars = {}
                    pass
                    if (environment.getattr(l_3_loop, 'first') and (not environment.getitem(environment.getattr(l_1_ev, 'numeric'), 0))):
                        pass
                        t_22.extend((
                            '<th scope="row">',
                            escape(t_11(l_3_v)),
                            '</th>',
                        ))
                    else:
                        pass
                        t_22.append(
                            escape(environment.call(context, (undefined(name='cell') if l_0_cell is missing else l_0_cell), l_3_v, environment.getattr(l_1_ev, 'digits'), environment.getitem(environment.getattr(l_1_ev, 'digest'), environment.getattr(l_3_loop, 'index0')), _loop_vars=_loop_vars)),
                        )
                l_3_loop = l_3_v = missing
                t_22.append(
                    '</tr>\n',
                )
                t_23 = 0
            l_2_loop = l_2_row = missing
            if t_23:
                pass
                t_22.extend((
                    '      <tr><td colspan="',
                    escape(t_4(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'columns'))),
                    '">none</td></tr>\n',
                ))
            t_22.append(
                '    </tbody>\n  </table>\n</figure>\n',
            )
        elif (environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'type') == 'kv'):
            pass
            t_22.extend((
                '<figure class="evidence kv">\n  <table class="kv">\n    <caption><span class="ev-kind">Details</span> ',
                escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'title')),
                '</caption>\n    <tbody>\n',
            ))
            for (l_2_k, l_2_v) in t_2(environment.getitem((undefined(name='b') if l_1_b is missing else l_1_b), 'items')):
                _loop_vars = {}
                pass
                if (not t_13(l_2_v)):
                    pass
                    t_22.extend((
                        '      <tr><th scope="row">',
                        escape(l_2_k),
                        '</th><td>',
                        escape(t_11(l_2_v, environment.getattr(l_1_ev, 'digits'))),
                        '</td></tr>\n',
                    ))
            l_2_k = l_2_v = missing
            t_22.append(
                '    </tbody>\n  </table>\n</figure>\n',
            )
        return concat(t_22)
    context.exported_vars.add('evidence_block')
    context.vars['evidence_block'] = l_0_evidence_block = Macro(environment, macro, 'evidence_block', ('ev',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_fv, l_1_for_pdf):
        t_24 = []
        l_1_f = missing
        if l_1_fv is missing:
            l_1_fv = undefined("parameter 'fv' was not provided", name='fv')
        if l_1_for_pdf is missing:
            l_1_for_pdf = False
        pass
        l_1_f = environment.getattr(l_1_fv, 'f')
        t_24.extend((
            '<article class="finding status-',
            escape(environment.getattr(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'status'), 'value')),
            '" id="',
            escape(environment.getattr(l_1_fv, 'anchor')),
            '">\n  <header class="finding-head">\n    <h4><span class="rule-id">',
            escape(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'rule_id')),
            '</span> ',
            escape(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'title')),
            '</h4>\n    <p class="badges">',
            escape(environment.call(context, (undefined(name='status_badge') if l_0_status_badge is missing else l_0_status_badge), environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'status'), environment.getattr(l_1_fv, 'status_label'), environment.getattr(l_1_fv, 'status_symbol'))),
            ' ',
            escape(environment.call(context, (undefined(name='severity_badge') if l_0_severity_badge is missing else l_0_severity_badge), environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'severity'))),
            ' <span class="muted">rule kind <code>',
            escape(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'kind')),
            '</code></span></p>\n  </header>\n  <p class="message">',
            escape(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'message')),
            '</p>\n',
        ))
        if (environment.getattr(l_1_fv, 'expected') or environment.getattr(l_1_fv, 'observed')):
            pass
            t_24.extend((
                '  <table class="facts">\n    <caption class="visually-hidden">Expected and observed values of ',
                escape(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'rule_id')),
                '</caption>\n    <tbody>\n',
            ))
            if environment.getattr(l_1_fv, 'expected'):
                pass
                t_24.extend((
                    '<tr><th scope="row">Expected</th><td>',
                    escape(environment.call(context, (undefined(name='fact') if l_0_fact is missing else l_0_fact), environment.getattr(l_1_fv, 'expected'))),
                    '</td></tr>',
                ))
            if environment.getattr(l_1_fv, 'observed'):
                pass
                t_24.extend((
                    '<tr><th scope="row">Observed</th><td>',
                    escape(environment.call(context, (undefined(name='fact') if l_0_fact is missing else l_0_fact), environment.getattr(l_1_fv, 'observed'))),
                    '</td></tr>',
                ))
            t_24.append(
                '    </tbody>\n  </table>\n',
            )
        for l_2_ev in environment.getattr(l_1_fv, 'evidence'):
            _loop_vars = {}
            pass
            if (l_1_for_pdf and environment.getattr(l_2_ev, 'repeats')):
                pass
                t_24.extend((
                    '  <p class="muted repeat-note">The table “',
                    escape(environment.getattr(environment.getattr(l_2_ev, 'block'), 'title')),
                    '” (',
                    escape(t_4(environment.getattr(environment.getattr(l_2_ev, 'block'), 'rows'))),
                    ' rows × ',
                    escape(t_4(environment.getattr(environment.getattr(l_2_ev, 'block'), 'columns'))),
                    ' columns: ',
                    escape(t_3(context.eval_ctx, environment.getattr(environment.getattr(l_2_ev, 'block'), 'columns'), ', ')),
                    ') lists the same rows as “',
                    escape(environment.getattr(l_2_ev, 'repeats')),
                    '” above; it is in the HTML report and in the embedded <code>report.json</code>.</p>\n',
                ))
            else:
                pass
                t_24.append(
                    escape(environment.call(context, (undefined(name='evidence_block') if l_0_evidence_block is missing else l_0_evidence_block), l_2_ev, _loop_vars=_loop_vars)),
                )
        l_2_ev = missing
        if environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'waiver'):
            pass
            t_24.extend((
                '  <div class="waiver-box">\n    <p><strong>Waived</strong> by ',
                escape(environment.getattr(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'waiver'), 'approved_by')),
                ' until ',
                escape(environment.call(context, environment.getattr(environment.getattr(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'waiver'), 'expires'), 'isoformat'))),
            ))
            if environment.getattr(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'waiver'), 'ticket'):
                pass
                t_24.extend((
                    ' (ticket ',
                    escape(environment.getattr(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'waiver'), 'ticket')),
                    ')',
                ))
            t_24.append(
                '.',
            )
            if environment.getattr(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'waiver'), 'signed_by'):
                pass
                t_24.extend((
                    ' Signed by ',
                    escape(environment.getattr(environment.getattr(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'waiver'), 'signed_by'), 'owner')),
                    ' as ',
                    escape(environment.getattr(environment.getattr(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'waiver'), 'signed_by'), 'role')),
                    ' (key ',
                    escape(environment.getattr(environment.getattr(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'waiver'), 'signed_by'), 'keyid')[:16]),
                    ').',
                ))
            t_24.extend((
                '</p>\n    <p>Justification: ',
                escape(environment.getattr(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'waiver'), 'reason')),
                '</p>\n  </div>\n',
            ))
        if environment.getattr(l_1_fv, 'remediation'):
            pass
            t_24.extend((
                '  <p class="remediation"><strong>Remediation:</strong> ',
                escape(environment.getattr(l_1_fv, 'remediation')),
            ))
            if environment.getattr(l_1_fv, 'remediation_default'):
                pass
                t_24.extend((
                    ' <span class="muted">(default guidance for rule kind <code>',
                    escape(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'kind')),
                    '</code>; the policy gives none)</span>',
                ))
            t_24.append(
                '</p>\n',
            )
        t_24.append(
            '  <dl class="finding-meta">\n',
        )
        if environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'references'):
            pass
            t_24.append(
                '    <dt>Evidence for</dt>\n    <dd>',
            )
            l_2_loop = missing
            for l_2_r, l_2_loop in LoopContext(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'references'), undefined):
                _loop_vars = {}
                pass
                t_24.extend((
                    escape(environment.getattr(l_2_r, 'framework')),
                    ' ',
                    escape(environment.getattr(l_2_r, 'clause')),
                ))
                if environment.getattr(l_2_r, 'title'):
                    pass
                    t_24.extend((
                        ' (',
                        escape(environment.getattr(l_2_r, 'title')),
                        ')',
                    ))
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    t_24.append(
                        '; ',
                    )
            l_2_loop = l_2_r = missing
            t_24.append(
                '</dd>\n',
            )
        if environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'locations'):
            pass
            t_24.append(
                '    <dt>Defined at</dt>\n    <dd>',
            )
            l_2_loop = missing
            for l_2_l, l_2_loop in LoopContext(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'locations'), undefined):
                _loop_vars = {}
                pass
                t_24.extend((
                    '<span class="loc">',
                    escape(environment.getattr(l_2_l, 'role')),
                    ' <code>',
                    escape(environment.getattr(l_2_l, 'path')),
                ))
                if environment.getattr(l_2_l, 'line'):
                    pass
                    t_24.extend((
                        ':',
                        escape(environment.getattr(l_2_l, 'line')),
                    ))
                    if environment.getattr(l_2_l, 'col'):
                        pass
                        t_24.extend((
                            ':',
                            escape(environment.getattr(l_2_l, 'col')),
                        ))
                t_24.append(
                    '</code>',
                )
                if environment.getattr(l_2_l, 'field'):
                    pass
                    t_24.extend((
                        ' field <code>',
                        escape(environment.getattr(l_2_l, 'field')),
                        '</code>',
                    ))
                t_24.append(
                    '</span>',
                )
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    t_24.append(
                        '; ',
                    )
            l_2_loop = l_2_l = missing
            t_24.append(
                '</dd>\n',
            )
        if environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'notes'):
            pass
            t_24.append(
                '    <dt>Notes</dt>\n    <dd><ul class="notes">',
            )
            for l_2_n in environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'notes'):
                _loop_vars = {}
                pass
                t_24.extend((
                    '<li>',
                    escape(l_2_n),
                    '</li>',
                ))
            l_2_n = missing
            t_24.append(
                '</ul></dd>\n',
            )
        t_24.append(
            '  </dl>\n</article>\n',
        )
        return concat(t_24)
    context.exported_vars.add('finding')
    context.vars['finding'] = l_0_finding = Macro(environment, macro, 'finding', ('fv', 'for_pdf'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_fv):
        t_25 = []
        if l_1_fv is missing:
            l_1_fv = undefined("parameter 'fv' was not provided", name='fv')
        pass
        if (environment.getattr(l_1_fv, 'kind') == 'text'):
            pass
            t_25.append(
                escape(environment.getattr(l_1_fv, 'text')),
            )
        elif (environment.getattr(l_1_fv, 'kind') == 'kv'):
            pass
            l_2_loop = missing
            for (l_2_k, l_2_val), l_2_loop in LoopContext(environment.getattr(l_1_fv, 'rows'), undefined):
                _loop_vars = {}
                pass
                t_25.extend((
                    escape(l_2_k),
                    ' ',
                    escape(l_2_val),
                ))
                if (not environment.getattr(l_2_loop, 'last')):
                    pass
                    t_25.append(
                        ', ',
                    )
            l_2_loop = l_2_k = l_2_val = missing
        else:
            pass
            t_25.extend((
                escape(t_4(environment.getattr(l_1_fv, 'cells'))),
                ' rows (table in the HTML report)',
            ))
        return concat(t_25)
    context.exported_vars.add('fact_inline')
    context.vars['fact_inline'] = l_0_fact_inline = Macro(environment, macro, 'fact_inline', ('fv',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_fv):
        t_26 = []
        l_1_b = resolve('b')
        l_1_f = l_1_ivs = l_1_iv = missing
        if l_1_fv is missing:
            l_1_fv = undefined("parameter 'fv' was not provided", name='fv')
        pass
        l_1_f = environment.getattr(l_1_fv, 'f')
        t_26.extend((
            '<article class="finding compact status-',
            escape(environment.getattr(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'status'), 'value')),
            '" id="',
            escape(environment.getattr(l_1_fv, 'anchor')),
            '">\n  <h4><span class="rule-id">',
            escape(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'rule_id')),
            '</span> ',
            escape(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'title')),
            ' ',
            escape(environment.call(context, (undefined(name='status_badge') if l_0_status_badge is missing else l_0_status_badge), environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'status'), environment.getattr(l_1_fv, 'status_label'), environment.getattr(l_1_fv, 'status_symbol'))),
            ' ',
            escape(environment.call(context, (undefined(name='severity_badge') if l_0_severity_badge is missing else l_0_severity_badge), environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'severity'))),
            '</h4>\n  <p class="message">',
            escape(environment.getattr((undefined(name='f') if l_1_f is missing else l_1_f), 'message')),
            '</p>\n',
        ))
        l_1_ivs = t_5(context.eval_ctx, t_10(context, environment.getattr(l_1_fv, 'evidence'), 'block.type', 'equalto', 'interval'))
        l_1_iv = (environment.getitem((undefined(name='ivs') if l_1_ivs is missing else l_1_ivs), 0) if (undefined(name='ivs') if l_1_ivs is missing else l_1_ivs) else None)
        if (((undefined(name='iv') if l_1_iv is missing else l_1_iv) or environment.getattr(l_1_fv, 'expected')) or environment.getattr(l_1_fv, 'observed')):
            pass
            t_26.append(
                '  <p class="compact-facts">',
            )
            if (undefined(name='iv') if l_1_iv is missing else l_1_iv):
                pass
                l_1_b = environment.getattr((undefined(name='iv') if l_1_iv is missing else l_1_iv), 'block')
                t_26.extend((
                    '<span class="fact-key">Estimate</span> ',
                    escape(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'metric')),
                    ' ',
                    escape(t_7(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'value'), environment.getattr((undefined(name='iv') if l_1_iv is missing else l_1_iv), 'digits'))),
                ))
                if ((not t_13(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'ci_lower'))) and (not t_13(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'ci_upper')))):
                    pass
                    t_26.append(
                        ' (',
                    )
                    if (not t_13(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'confidence'))):
                        pass
                        t_26.extend((
                            escape(t_8(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'confidence'))),
                            ' ',
                        ))
                    t_26.extend((
                        'CI ',
                        escape(t_7(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'ci_lower'), environment.getattr((undefined(name='iv') if l_1_iv is missing else l_1_iv), 'digits'))),
                        '–',
                        escape(t_7(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'ci_upper'), environment.getattr((undefined(name='iv') if l_1_iv is missing else l_1_iv), 'digits'))),
                    ))
                    if (not t_13(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'n'))):
                        pass
                        t_26.extend((
                            ', n=',
                            escape(t_7(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'n'), environment.getattr((undefined(name='iv') if l_1_iv is missing else l_1_iv), 'digits'))),
                        ))
                    t_26.append(
                        ')',
                    )
                if (not t_13(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'threshold'))):
                    pass
                    t_26.extend((
                        ', threshold ',
                        escape(t_7(environment.getattr((undefined(name='b') if l_1_b is missing else l_1_b), 'threshold'), environment.getattr((undefined(name='iv') if l_1_iv is missing else l_1_iv), 'digits'))),
                    ))
                if (environment.getattr(l_1_fv, 'expected') or environment.getattr(l_1_fv, 'observed')):
                    pass
                    t_26.append(
                        '. ',
                    )
            if environment.getattr(l_1_fv, 'expected'):
                pass
                t_26.extend((
                    '<span class="fact-key">Expected</span> ',
                    escape(environment.call(context, (undefined(name='fact_inline') if l_0_fact_inline is missing else l_0_fact_inline), environment.getattr(l_1_fv, 'expected'))),
                ))
                if environment.getattr(l_1_fv, 'observed'):
                    pass
                    t_26.append(
                        '. ',
                    )
            if environment.getattr(l_1_fv, 'observed'):
                pass
                t_26.extend((
                    '<span class="fact-key">Observed</span> ',
                    escape(environment.call(context, (undefined(name='fact_inline') if l_0_fact_inline is missing else l_0_fact_inline), environment.getattr(l_1_fv, 'observed'))),
                ))
            t_26.append(
                '</p>\n',
            )
        t_26.append(
            '</article>\n',
        )
        return concat(t_26)
    context.exported_vars.add('compact_finding')
    context.vars['compact_finding'] = l_0_compact_finding = Macro(environment, macro, 'compact_finding', ('fv',), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '3=96&5=99&6=110&9=121&10=128&13=137&14=146&17=171&18=176&21=209&22=214&25=253&28=261&29=263&33=273&34=288&35=305&36=308&37=317&38=319&39=322&40=361&41=363&42=366&53=391&54=396&56=426&57=446&61=485&62=491&63=492&65=496&66=510&67=519&69=526&71=532&75=535&76=541&77=548&78=550&79=552&80=554&81=556&82=559&86=576&88=581&89=588&94=603&96=607&97=610&99=617&106=619&107=625&108=631&112=636&114=641&115=658&116=662&118=684&119=691&121=716&126=722&129=726&131=729&132=736&140=749&141=757&142=760&144=764&145=768&147=774&148=777&150=781&152=784&153=791&157=801&158=808&159=822&160=825&162=829&163=856&166=859&167=863&170=878&172=884&174=908&176=914&178=957&180=962&186=981&187=986&193=1017&194=1024&195=1027&196=1031&197=1039&198=1042&199=1044&200=1049'