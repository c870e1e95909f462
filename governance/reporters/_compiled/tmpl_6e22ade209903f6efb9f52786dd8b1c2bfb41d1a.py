from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_charts.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_bar_chart = l_0_interval_chart = l_0_trend_chart = missing
    try:
        t_1 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    def macro(l_1_c, l_1_ev, l_1_alt):
        t_2 = []
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        if l_1_ev is missing:
            l_1_ev = undefined("parameter 'ev' was not provided", name='ev')
        if l_1_alt is missing:
            l_1_alt = undefined("parameter 'alt' was not provided", name='alt')
        pass
        t_2.extend((
            '<svg class="chart" role="img" width="',
            escape(environment.getattr(l_1_c, 'width')),
            '" height="',
            escape(environment.getattr(l_1_c, 'height')),
            '" viewBox="0 0 ',
            escape(environment.getattr(l_1_c, 'width')),
            ' ',
            escape(environment.getattr(l_1_c, 'height')),
            '" font-family="DejaVu Sans, sans-serif" font-size="10">\n  <title>',
            escape(l_1_alt),
            '</title>\n  <g class="legend" font-size="9" fill="#333">\n    <rect x="',
            escape(environment.getattr(l_1_c, 'plot_left')),
            '" y="6" width="10" height="8" fill="#3f6597"/>\n    <text x="',
            escape((environment.getattr(l_1_c, 'plot_left') + 14)),
            '" y="13">',
            escape(environment.getattr(l_1_ev, 'metric')),
            '</text>\n    <rect x="',
            escape((environment.getattr(l_1_c, 'plot_left') + 110)),
            '" y="6" width="10" height="8" fill="#b8322a"/>\n    <text x="',
            escape((environment.getattr(l_1_c, 'plot_left') + 124)),
            '" y="13">flagged</text>\n',
        ))
        if environment.getattr(l_1_c, 'has_ci'):
            pass
            t_2.extend((
                '    <line x1="',
                escape((environment.getattr(l_1_c, 'plot_left') + 175)),
                '" y1="10" x2="',
                escape((environment.getattr(l_1_c, 'plot_left') + 195)),
                '" y2="10" stroke="#111" stroke-width="1.2"/>\n    <line x1="',
                escape((environment.getattr(l_1_c, 'plot_left') + 175)),
                '" y1="6" x2="',
                escape((environment.getattr(l_1_c, 'plot_left') + 175)),
                '" y2="14" stroke="#111" stroke-width="1.2"/>\n    <line x1="',
                escape((environment.getattr(l_1_c, 'plot_left') + 195)),
                '" y1="6" x2="',
                escape((environment.getattr(l_1_c, 'plot_left') + 195)),
                '" y2="14" stroke="#111" stroke-width="1.2"/>\n    <text x="',
                escape((environment.getattr(l_1_c, 'plot_left') + 199)),
                '" y="13">confidence interval</text>\n',
            ))
        t_2.append(
            '  </g>\n',
        )
        for l_2_t in environment.getattr(l_1_c, 'ticks'):
            _loop_vars = {}
            pass
            t_2.extend((
                '  <line x1="',
                escape(environment.getattr(l_2_t, 'x')),
                '" y1="',
                escape((environment.getattr(l_1_c, 'plot_top') - 4)),
                '" x2="',
                escape(environment.getattr(l_2_t, 'x')),
                '" y2="',
                escape(environment.getattr(l_1_c, 'plot_bottom')),
                '" stroke="#e3e3e3" stroke-width="0.8"/>\n  <text x="',
                escape(environment.getattr(l_2_t, 'x')),
                '" y="',
                escape((environment.getattr(l_1_c, 'plot_bottom') + 13)),
                '" text-anchor="middle" fill="#555" font-size="9">',
                escape(environment.getattr(l_2_t, 'label')),
                '</text>\n',
            ))
        l_2_t = missing
        t_2.extend((
            '  <line x1="',
            escape(environment.getattr(l_1_c, 'plot_left')),
            '" y1="',
            escape(environment.getattr(l_1_c, 'plot_bottom')),
            '" x2="',
            escape(environment.getattr(l_1_c, 'plot_right')),
            '" y2="',
            escape(environment.getattr(l_1_c, 'plot_bottom')),
            '" stroke="#888" stroke-width="0.8"/>\n  <line x1="',
            escape(environment.getattr(l_1_c, 'zero_x')),
            '" y1="',
            escape((environment.getattr(l_1_c, 'plot_top') - 4)),
            '" x2="',
            escape(environment.getattr(l_1_c, 'zero_x')),
            '" y2="',
            escape(environment.getattr(l_1_c, 'plot_bottom')),
            '" stroke="#888" stroke-width="0.8"/>\n',
        ))
        l_2_loop = missing
        for l_2_b, l_2_loop in LoopContext(environment.getattr(l_1_c, 'bars'), undefined):
            _loop_vars = {}
            pass
            t_2.extend((
                '  <text x="',
                escape((environment.getattr(l_1_c, 'plot_left') - 6)),
                '" y="',
                escape(environment.getattr(l_2_b, 'label_y')),
                '" text-anchor="end" fill="#222">',
            ))
            l_3_loop = missing
            for l_3_line, l_3_loop in LoopContext(environment.getattr(l_2_b, 'lines'), undefined):
                _loop_vars = {}
                pass
                t_2.extend((
                    '<tspan x="',
                    escape((environment.getattr(l_1_c, 'plot_left') - 6)),
                    '"',
                ))
                if (not environment.getattr(l_3_loop, 'first')):
                    pass
                    t_2.append(
                        ' dy="11"',
                    )
                t_2.extend((
                    '>',
                    escape(l_3_line),
                    '</tspan>',
                ))
            l_3_loop = l_3_line = missing
            t_2.append(
                '</text>\n',
            )
            if (not environment.getattr(l_2_b, 'missing')):
                pass
                t_2.extend((
                    '  <rect x="',
                    escape(environment.getattr(l_2_b, 'x')),
                    '" y="',
                    escape(environment.getattr(l_2_b, 'y')),
                    '" width="',
                    escape(environment.getattr(l_2_b, 'width')),
                    '" height="14" fill="',
                    escape(('#b8322a' if environment.getattr(l_2_b, 'flagged') else '#3f6597')),
                    '"/>\n',
                ))
            if environment.getattr(l_2_b, 'ci'):
                pass
                t_2.extend((
                    '  <line x1="',
                    escape(environment.getitem(environment.getattr(l_2_b, 'ci'), 0)),
                    '" y1="',
                    escape((environment.getattr(l_2_b, 'y') + 7)),
                    '" x2="',
                    escape(environment.getitem(environment.getattr(l_2_b, 'ci'), 1)),
                    '" y2="',
                    escape((environment.getattr(l_2_b, 'y') + 7)),
                    '" stroke="#111" stroke-width="1.2"/>\n  <line x1="',
                    escape(environment.getitem(environment.getattr(l_2_b, 'ci'), 0)),
                    '" y1="',
                    escape((environment.getattr(l_2_b, 'y') + 3)),
                    '" x2="',
                    escape(environment.getitem(environment.getattr(l_2_b, 'ci'), 0)),
                    '" y2="',
                    escape((environment.getattr(l_2_b, 'y') + 11)),
                    '" stroke="#111" stroke-width="1.2"/>\n  <line x1="',
                    escape(environment.getitem(environment.getattr(l_2_b, 'ci'), 1)),
                    '" y1="',
                    escape((environment.getattr(l_2_b, 'y') + 3)),
                    '" x2="',
                    escape(environment.getitem(environment.getattr(l_2_b, 'ci'), 1)),
                    '" y2="',
                    escape((environment.getattr(l_2_b, 'y') + 11)),
                    '" stroke="#111" stroke-width="1.2"/>\n',
                ))
            t_2.extend((
                '  <text x="',
                escape(environment.getattr(l_2_b, 'value_x')),
                '" y="',
                escape((environment.getattr(l_2_b, 'y') + 11)),
                '" fill="',
                escape(('#8e1f18' if environment.getattr(l_2_b, 'flagged') else '#222')),
                '"',
            ))
            if environment.getattr(l_2_b, 'flagged'):
                pass
                t_2.append(
                    ' font-weight="bold"',
                )
            t_2.extend((
                '>',
                escape(environment.getattr(l_2_b, 'value_text')),
                '</text>\n',
            ))
        l_2_loop = l_2_b = missing
        if environment.getattr(l_1_c, 'overall'):
            pass
            t_2.extend((
                '  <line x1="',
                escape(environment.getattr(environment.getattr(l_1_c, 'overall'), 'x')),
                '" y1="',
                escape((environment.getattr(l_1_c, 'plot_top') - 4)),
                '" x2="',
                escape(environment.getattr(environment.getattr(l_1_c, 'overall'), 'x')),
                '" y2="',
                escape(environment.getattr(l_1_c, 'plot_bottom')),
                '" stroke="#555" stroke-width="1.2" stroke-dasharray="1.5 2.5"/>\n',
            ))
        if environment.getattr(l_1_c, 'threshold'):
            pass
            t_2.extend((
                '  <line x1="',
                escape(environment.getattr(environment.getattr(l_1_c, 'threshold'), 'x')),
                '" y1="',
                escape((environment.getattr(l_1_c, 'plot_top') - 6)),
                '" x2="',
                escape(environment.getattr(environment.getattr(l_1_c, 'threshold'), 'x')),
                '" y2="',
                escape(environment.getattr(l_1_c, 'plot_bottom')),
                '" stroke="#c25400" stroke-width="1.6" stroke-dasharray="5 3"/>\n',
            ))
        t_2.append(
            '  <g font-size="9">\n',
        )
        if environment.getattr(l_1_c, 'threshold'):
            pass
            t_2.extend((
                '    <line x1="',
                escape(environment.getattr(l_1_c, 'plot_left')),
                '" y1="23" x2="',
                escape((environment.getattr(l_1_c, 'plot_left') + 16)),
                '" y2="23" stroke="#c25400" stroke-width="1.6" stroke-dasharray="5 3"/>\n    <text x="',
                escape((environment.getattr(l_1_c, 'plot_left') + 20)),
                '" y="26" fill="#8a3c00">',
                escape(environment.getattr(environment.getattr(l_1_c, 'threshold'), 'label')),
                '</text>\n',
            ))
        if environment.getattr(l_1_c, 'overall'):
            pass
            t_2.extend((
                '    <line x1="',
                escape((environment.getattr(l_1_c, 'plot_left') + 250)),
                '" y1="23" x2="',
                escape((environment.getattr(l_1_c, 'plot_left') + 266)),
                '" y2="23" stroke="#555" stroke-width="1.2" stroke-dasharray="1.5 2.5"/>\n    <text x="',
                escape((environment.getattr(l_1_c, 'plot_left') + 270)),
                '" y="26" fill="#333">',
                escape(environment.getattr(environment.getattr(l_1_c, 'overall'), 'label')),
                '</text>\n',
            ))
        t_2.append(
            '  </g>\n</svg>\n',
        )
        return concat(t_2)
    context.exported_vars.add('bar_chart')
    context.vars['bar_chart'] = l_0_bar_chart = Macro(environment, macro, 'bar_chart', ('c', 'ev', 'alt'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_c, l_1_ev, l_1_alt):
        t_3 = []
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        if l_1_ev is missing:
            l_1_ev = undefined("parameter 'ev' was not provided", name='ev')
        if l_1_alt is missing:
            l_1_alt = undefined("parameter 'alt' was not provided", name='alt')
        pass
        t_3.extend((
            '<svg class="chart interval" role="img" width="',
            escape(environment.getattr(l_1_c, 'width')),
            '" height="',
            escape(environment.getattr(l_1_c, 'height')),
            '" viewBox="0 0 ',
            escape(environment.getattr(l_1_c, 'width')),
            ' ',
            escape(environment.getattr(l_1_c, 'height')),
            '" font-family="DejaVu Sans, sans-serif" font-size="9">\n  <title>',
            escape(l_1_alt),
            '</title>\n  <line x1="',
            escape(environment.getattr(l_1_c, 'plot_left')),
            '" y1="',
            escape(environment.getattr(l_1_c, 'axis_y')),
            '" x2="',
            escape(environment.getattr(l_1_c, 'plot_right')),
            '" y2="',
            escape(environment.getattr(l_1_c, 'axis_y')),
            '" stroke="#888" stroke-width="0.8"/>\n',
        ))
        for l_2_t in environment.getattr(l_1_c, 'ticks'):
            _loop_vars = {}
            pass
            t_3.extend((
                '  <line x1="',
                escape(environment.getattr(l_2_t, 'x')),
                '" y1="',
                escape(environment.getattr(l_1_c, 'axis_y')),
                '" x2="',
                escape(environment.getattr(l_2_t, 'x')),
                '" y2="',
                escape((environment.getattr(l_1_c, 'axis_y') + 4)),
                '" stroke="#888" stroke-width="0.8"/>\n  <text x="',
                escape(environment.getattr(l_2_t, 'x')),
                '" y="',
                escape((environment.getattr(l_1_c, 'axis_y') + 15)),
                '" text-anchor="middle" fill="#555">',
                escape(environment.getattr(l_2_t, 'label')),
                '</text>\n',
            ))
        l_2_t = missing
        if environment.getattr(l_1_c, 'ci'):
            pass
            t_3.extend((
                '  <rect x="',
                escape(environment.getitem(environment.getattr(l_1_c, 'ci'), 0)),
                '" y="',
                escape((environment.getattr(l_1_c, 'axis_y') - 13)),
                '" width="',
                escape((environment.getitem(environment.getattr(l_1_c, 'ci'), 1) - environment.getitem(environment.getattr(l_1_c, 'ci'), 0))),
                '" height="10" fill="#dbe4f0"/>\n  <line x1="',
                escape(environment.getitem(environment.getattr(l_1_c, 'ci'), 0)),
                '" y1="',
                escape((environment.getattr(l_1_c, 'axis_y') - 8)),
                '" x2="',
                escape(environment.getitem(environment.getattr(l_1_c, 'ci'), 1)),
                '" y2="',
                escape((environment.getattr(l_1_c, 'axis_y') - 8)),
                '" stroke="#111" stroke-width="1.2"/>\n  <line x1="',
                escape(environment.getitem(environment.getattr(l_1_c, 'ci'), 0)),
                '" y1="',
                escape((environment.getattr(l_1_c, 'axis_y') - 13)),
                '" x2="',
                escape(environment.getitem(environment.getattr(l_1_c, 'ci'), 0)),
                '" y2="',
                escape((environment.getattr(l_1_c, 'axis_y') - 3)),
                '" stroke="#111" stroke-width="1.2"/>\n  <line x1="',
                escape(environment.getitem(environment.getattr(l_1_c, 'ci'), 1)),
                '" y1="',
                escape((environment.getattr(l_1_c, 'axis_y') - 13)),
                '" x2="',
                escape(environment.getitem(environment.getattr(l_1_c, 'ci'), 1)),
                '" y2="',
                escape((environment.getattr(l_1_c, 'axis_y') - 3)),
                '" stroke="#111" stroke-width="1.2"/>\n',
            ))
        if environment.getattr(l_1_c, 'threshold'):
            pass
            t_3.extend((
                '  <line x1="',
                escape(environment.getattr(environment.getattr(l_1_c, 'threshold'), 'x')),
                '" y1="',
                escape((environment.getattr(l_1_c, 'axis_y') - 24)),
                '" x2="',
                escape(environment.getattr(environment.getattr(l_1_c, 'threshold'), 'x')),
                '" y2="',
                escape(environment.getattr(l_1_c, 'axis_y')),
                '" stroke="#c25400" stroke-width="1.6" stroke-dasharray="5 3"/>\n',
            ))
            if (environment.getattr(environment.getattr(l_1_c, 'threshold'), 'x') > (environment.getattr(l_1_c, 'width') * 0.7)):
                pass
                t_3.extend((
                    '  <text x="',
                    escape((environment.getattr(environment.getattr(l_1_c, 'threshold'), 'x') - 4)),
                    '" y="',
                    escape((environment.getattr(l_1_c, 'axis_y') - 20)),
                    '" text-anchor="end" fill="#8a3c00">',
                    escape(environment.getattr(environment.getattr(l_1_c, 'threshold'), 'label')),
                    '</text>\n',
                ))
            else:
                pass
                t_3.extend((
                    '  <text x="',
                    escape((environment.getattr(environment.getattr(l_1_c, 'threshold'), 'x') + 4)),
                    '" y="',
                    escape((environment.getattr(l_1_c, 'axis_y') - 20)),
                    '" fill="#8a3c00">',
                    escape(environment.getattr(environment.getattr(l_1_c, 'threshold'), 'label')),
                    '</text>\n',
                ))
        if environment.getattr(l_1_c, 'value'):
            pass
            t_3.extend((
                '  <circle cx="',
                escape(environment.getattr(environment.getattr(l_1_c, 'value'), 'x')),
                '" cy="',
                escape((environment.getattr(l_1_c, 'axis_y') - 8)),
                '" r="3.5" fill="#3f6597" stroke="#111" stroke-width="0.8"/>\n  <text x="',
                escape(environment.getattr(environment.getattr(l_1_c, 'value'), 'x')),
                '" y="',
                escape((environment.getattr(l_1_c, 'axis_y') - 28)),
                '" text-anchor="middle" fill="#222">',
                escape(environment.getattr(environment.getattr(l_1_c, 'value'), 'label')),
                '</text>\n',
            ))
        t_3.append(
            '</svg>\n',
        )
        return concat(t_3)
    context.exported_vars.add('interval_chart')
    context.vars['interval_chart'] = l_0_interval_chart = Macro(environment, macro, 'interval_chart', ('c', 'ev', 'alt'), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_c, l_1_alt):
        t_4 = []
        if l_1_c is missing:
            l_1_c = undefined("parameter 'c' was not provided", name='c')
        if l_1_alt is missing:
            l_1_alt = undefined("parameter 'alt' was not provided", name='alt')
        pass
        t_4.extend((
            '<svg class="chart trend" role="img" width="',
            escape(environment.getattr(l_1_c, 'width')),
            '" height="',
            escape(environment.getattr(l_1_c, 'height')),
            '" viewBox="0 0 ',
            escape(environment.getattr(l_1_c, 'width')),
            ' ',
            escape(environment.getattr(l_1_c, 'height')),
            '" font-family="DejaVu Sans, sans-serif" font-size="9">\n  <title>',
            escape(l_1_alt),
            '</title>\n  <line x1="',
            escape(environment.getattr(l_1_c, 'plot_left')),
            '" y1="',
            escape(environment.getattr(l_1_c, 'plot_top')),
            '" x2="',
            escape(environment.getattr(l_1_c, 'plot_left')),
            '" y2="',
            escape(environment.getattr(l_1_c, 'axis_y')),
            '" stroke="#888" stroke-width="0.8"/>\n  <line x1="',
            escape(environment.getattr(l_1_c, 'plot_left')),
            '" y1="',
            escape(environment.getattr(l_1_c, 'axis_y')),
            '" x2="',
            escape(environment.getattr(l_1_c, 'plot_right')),
            '" y2="',
            escape(environment.getattr(l_1_c, 'axis_y')),
            '" stroke="#888" stroke-width="0.8"/>\n',
        ))
        for l_2_t in environment.getattr(l_1_c, 'ticks'):
            _loop_vars = {}
            pass
            t_4.extend((
                '  <line x1="',
                escape((environment.getattr(l_1_c, 'plot_left') - 4)),
                '" y1="',
                escape(environment.getattr(l_2_t, 'x')),
                '" x2="',
                escape(environment.getattr(l_1_c, 'plot_left')),
                '" y2="',
                escape(environment.getattr(l_2_t, 'x')),
                '" stroke="#888" stroke-width="0.8"/>\n  <text x="',
                escape((environment.getattr(l_1_c, 'plot_left') - 6)),
                '" y="',
                escape((environment.getattr(l_2_t, 'x') + 3)),
                '" text-anchor="end" fill="#555">',
                escape(environment.getattr(l_2_t, 'label')),
                '</text>\n',
            ))
        l_2_t = missing
        if (not t_1(environment.getattr(l_1_c, 'threshold_y'))):
            pass
            t_4.extend((
                '  <line x1="',
                escape(environment.getattr(l_1_c, 'plot_left')),
                '" y1="',
                escape(environment.getattr(l_1_c, 'threshold_y')),
                '" x2="',
                escape(environment.getattr(l_1_c, 'plot_right')),
                '" y2="',
                escape(environment.getattr(l_1_c, 'threshold_y')),
                '" stroke="#c25400" stroke-width="1.4" stroke-dasharray="5 3"/>\n  <text x="',
                escape(environment.getattr(l_1_c, 'plot_right')),
                '" y="',
                escape((environment.getattr(l_1_c, 'threshold_y') - 3)),
                '" text-anchor="end" fill="#8a3c00">',
                escape(environment.getattr(l_1_c, 'threshold_label')),
                '</text>\n',
            ))
        for l_2_p in environment.getattr(l_1_c, 'points'):
            _loop_vars = {}
            pass
            if environment.getattr(l_2_p, 'ci'):
                pass
                t_4.extend((
                    '  <line x1="',
                    escape(environment.getattr(l_2_p, 'x')),
                    '" y1="',
                    escape(environment.getitem(environment.getattr(l_2_p, 'ci'), 0)),
                    '" x2="',
                    escape(environment.getattr(l_2_p, 'x')),
                    '" y2="',
                    escape(environment.getitem(environment.getattr(l_2_p, 'ci'), 1)),
                    '" stroke="#111" stroke-width="1"/>\n  <line x1="',
                    escape((environment.getattr(l_2_p, 'x') - 4)),
                    '" y1="',
                    escape(environment.getitem(environment.getattr(l_2_p, 'ci'), 0)),
                    '" x2="',
                    escape((environment.getattr(l_2_p, 'x') + 4)),
                    '" y2="',
                    escape(environment.getitem(environment.getattr(l_2_p, 'ci'), 0)),
                    '" stroke="#111" stroke-width="1"/>\n  <line x1="',
                    escape((environment.getattr(l_2_p, 'x') - 4)),
                    '" y1="',
                    escape(environment.getitem(environment.getattr(l_2_p, 'ci'), 1)),
                    '" x2="',
                    escape((environment.getattr(l_2_p, 'x') + 4)),
                    '" y2="',
                    escape(environment.getitem(environment.getattr(l_2_p, 'ci'), 1)),
                    '" stroke="#111" stroke-width="1"/>\n',
                ))
        l_2_p = missing
        if environment.getattr(l_1_c, 'path'):
            pass
            t_4.extend((
                '<polyline points="',
                escape(environment.getattr(l_1_c, 'path')),
                '" fill="none" stroke="#3f6597" stroke-width="1.6"/>',
            ))
        for l_2_p in environment.getattr(l_1_c, 'points'):
            _loop_vars = {}
            pass
            if (not t_1(environment.getattr(l_2_p, 'y'))):
                pass
                t_4.extend((
                    '<circle cx="',
                    escape(environment.getattr(l_2_p, 'x')),
                    '" cy="',
                    escape(environment.getattr(l_2_p, 'y')),
                    '" r="',
                    escape((4 if environment.getattr(l_2_p, 'current') else 3)),
                    '" fill="',
                    escape(('#3f6597' if environment.getattr(l_2_p, 'current') else '#fff')),
                    '" stroke="#3f6597" stroke-width="1.2"/>',
                ))
            t_4.extend((
                '  <text x="',
                escape(environment.getattr(l_2_p, 'x')),
                '" y="',
                escape((environment.getattr(l_1_c, 'axis_y') + 14)),
                '" text-anchor="middle" fill="#333">',
                escape(environment.getattr(l_2_p, 'label')),
                '</text>\n',
            ))
        l_2_p = missing
        t_4.append(
            '</svg>\n',
        )
        return concat(t_4)
    context.exported_vars.add('trend_chart')
    context.vars['trend_chart'] = l_0_trend_chart = Macro(environment, macro, 'trend_chart', ('c', 'alt'), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '3=18&4=29&5=37&8=39&9=41&10=45&11=47&12=50&13=54&14=58&15=62&16=66&20=72&21=77&22=85&24=95&25=103&27=113&28=118&29=146&30=150&32=159&33=163&34=171&35=179&37=190&40=208&41=212&43=221&44=225&47=237&48=241&49=245&51=250&52=254&53=258&59=270&60=281&61=289&62=291&63=300&64=305&65=313&67=321&68=325&69=331&70=339&71=347&73=356&74=360&75=369&76=373&78=384&81=391&82=395&83=399&88=413&89=422&90=430&91=432&92=440&93=449&94=454&95=462&97=470&98=474&99=482&101=489&102=496&103=504&104=512&106=522&107=529&108=532&109=547'