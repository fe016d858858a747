/// The page's own stylesheet, legend and script: constants, no trace data.
enum HTMLAssets {
    static let css = """
    :root{--vfio:#2563eb;--vfio-l:#dbeafe;--native:#ea580c;--native-l:#ffedd5;--race:#dc2626;--race-l:#fee2e2;--ok:#16a34a;--warn:#d97706;--unk:#7c3aed;--ink:#111827;--mute:#6b7280;--line:#e5e7eb}
    *{box-sizing:border-box}
    body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:var(--ink);background:#f8fafc}
    header.page{padding:18px 24px 8px;background:#fff;border-bottom:1px solid var(--line)}
    h1{margin:0 0 4px;font-size:22px}
    h2{font-size:17px;margin:18px 24px 8px}
    .meta{margin:0 0 10px;color:var(--mute)}
    .trace-name{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:13px;color:var(--ink)}
    .tiles{display:flex;flex-wrap:wrap;gap:10px;margin:6px 0 10px}
    .tile{display:flex;align-items:center;gap:8px;padding:8px 14px;border-radius:10px;color:#fff;text-decoration:none;font-weight:600}
    .tile .count{font-size:24px}
    .sev-race.tile{background:var(--race)} .sev-warn.tile{background:var(--warn)} .sev-unknown.tile{background:var(--unk)} .sev-ok.tile{background:var(--ok)}
    .warnings{background:#fffbeb;border:1px solid #fcd34d;border-radius:8px;padding:4px 14px;margin:8px 0}
    .warnings h2{margin:8px 0 2px;font-size:15px}
    .legend{display:flex;flex-wrap:wrap;gap:14px;align-items:center;margin:10px 24px 0;color:var(--mute);font-size:12.5px}
    .legend svg{vertical-align:middle}
    .timeline-block{margin:0 0 8px}
    .controls{display:flex;flex-wrap:wrap;gap:16px;align-items:center;margin:0 24px 8px;font-size:13px}
    .controls button{min-width:26px}
    .lane-count{color:var(--mute)}
    .timeline-frame{display:flex;margin:0 24px;border:1px solid var(--line);border-radius:8px;background:#fff;overflow:hidden}
    .labels-col{flex:none;border-right:1px solid var(--line);background:#fff}
    .plot-scroll{flex:1;overflow-x:auto;overflow-y:hidden}
    svg text{font-family:system-ui,"DejaVu Sans",sans-serif}
    .axis-title{font-size:11px;fill:var(--mute);text-transform:uppercase;letter-spacing:.05em}
    .lane .lane-bg,.lane-label .lane-bg{fill:#fff}
    .lane:nth-of-type(even) .lane-bg{fill:#f9fafb}
    .lane.racing .lane-bg,.lane-label.racing .lane-bg{fill:var(--race-l)}
    .lane-axis{stroke:#e5e7eb;stroke-width:1}
    .lane-name{font-size:13px;font-weight:600;fill:var(--ink)}
    .lane-label.racing .lane-name{fill:#991b1b}
    .lane-role{font-size:11px;fill:var(--mute)}
    .role-strip{fill:#9ca3af}
    .r-modprobe .role-strip{fill:#0d9488} .r-udev .role-strip{fill:#9333ea} .r-kworker .role-strip{fill:#a16207} .r-init .role-strip{fill:#4b5563} .r-shell .role-strip{fill:#64748b}
    .race-badge rect{fill:var(--race)} .race-badge text{fill:#fff;font-size:11px;font-weight:700;text-anchor:middle}
    svg.timeline:not(.show-idle) .idle,svg.lane-labels:not(.show-idle) .idle{display:none}
    .tick line{stroke:#eef0f3} .tick text{font-size:10.5px;fill:var(--mute)}
    .slice{stroke-width:1.2}
    .slice.register.vfio{fill:var(--vfio-l);stroke:var(--vfio)} .slice.register.native{fill:var(--native-l);stroke:var(--native)}
    .slice.probe.vfio{fill:var(--vfio);stroke:#1e40af} .slice.probe.native{fill:var(--native);stroke:#9a3412}
    .slice.failed{fill-opacity:.35;stroke-dasharray:3 2} .slice.nodrv{fill:#e5e7eb;stroke:#9ca3af}
    .slice.open{stroke-dasharray:6 3}
    .ev{stroke:#fff;stroke-width:1}
    .ev.k-dev{fill:#7c3aed} .ev.k-id.vfio,.ev.k-bind.vfio,.ev.k-ovr.vfio{fill:var(--vfio)} .ev.k-id.native,.ev.k-bind.native,.ev.k-ovr.native{fill:var(--native)}
    .ev.k-ovr.nodrv,.ev.k-bind.nodrv,.ev.k-id.nodrv{fill:#6b7280}
    .ev.k-reg.vfio{fill:var(--vfio)} .ev.k-reg.native{fill:var(--native)} .ev.k-reg.nodrv{fill:#6b7280}
    .ev.k-mod{fill:#374151} .ev.k-proc{fill:#9ca3af;stroke:none} .ev.k-misc{fill:#cbd5e1;stroke:none}
    .ev .tick{fill:none;stroke:#fff;stroke-width:1.8}
    .ev.decisive>:not(title):not(.race-ring):not(.race-letter){stroke:#111827;stroke-width:1.5}
    .ev.decisive.k-proc>rect,.ev.decisive.k-misc>circle{fill:#111827}
    .race-ring{fill:none;stroke:var(--race);stroke-width:3.5}
    .race-event .race-ring{animation:pulse 1.6s ease-in-out 3}
    @keyframes pulse{50%{stroke-width:7;stroke-opacity:.5}}
    .ev.race-event>:not(title):not(.race-ring):not(.race-letter){stroke:#7f1d1d;stroke-width:2}
    .edge line{stroke:#4b5563;stroke-width:1.6;fill:none}
    .arrowhead{fill:#4b5563}
    .race-line{stroke:var(--race);stroke-width:3;stroke-dasharray:7 5}
    .race-label rect{fill:var(--race)} .race-label text{fill:#fff;font-size:12.5px;font-weight:700;text-anchor:middle}
    .race-label{cursor:pointer}
    .race-letter{fill:var(--race);stroke:#fff;stroke-width:3;paint-order:stroke;font-size:13px;font-weight:800}
    .race-guide{stroke:var(--race);stroke-width:1.5;stroke-dasharray:3 3}
    .race-title{fill:var(--race);font-weight:700}
    .dim{opacity:.12}
    .flash .race-ring,.flash>:not(title){animation:pulse .6s ease-in-out 4}
    .devices .cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(430px,1fr));gap:14px;margin:0 24px 16px}
    .card{min-width:0;overflow-wrap:anywhere;background:#fff;border:1px solid var(--line);border-left:6px solid var(--ok);border-radius:10px;padding:12px 16px}
    .card.sev-race{border-left-color:var(--race)} .card.sev-warn{border-left-color:var(--warn)} .card.sev-unknown{border-left-color:var(--unk)}
    .card.target{box-shadow:0 0 0 3px var(--race-l)}
    .card header{display:flex;flex-wrap:wrap;align-items:center;gap:10px}
    .card h3{margin:0;font-size:17px;font-family:ui-monospace,"DejaVu Sans Mono",monospace}
    .ids{color:var(--mute);font-size:13px}
    .verdict-badge{font-size:12px;font-weight:700;padding:2px 10px;border-radius:12px;color:#fff;background:var(--ok);text-transform:uppercase;letter-spacing:.03em}
    .sev-race .verdict-badge{background:var(--race)} .sev-warn .verdict-badge{background:var(--warn)} .sev-unknown .verdict-badge{background:var(--unk)}
    .proven{font-size:12px;color:var(--race);font-weight:600}
    .race-visual{display:flex;align-items:stretch;gap:8px;margin:10px 0}
    .race-task{flex:1 1 0;min-width:0;display:flex;flex-direction:column;padding:8px 10px;border-radius:8px;text-decoration:none;color:var(--ink);border:2px solid var(--line)}
    .race-task.vfio{border-color:var(--vfio);background:var(--vfio-l)} .race-task.native{border-color:var(--native);background:var(--native-l)}
    .task-name{font-weight:700;font-size:15px} .task-what{font-size:12px;color:#374151;font-family:ui-monospace,"DejaVu Sans Mono",monospace;word-break:break-all} .task-leads{font-weight:600;font-size:13px}
    .versus{align-self:center;font-size:22px;color:var(--race)}
    dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px;margin:8px 0}
    dt{color:var(--mute)} dd{margin:0}
    .chip{display:inline-block;padding:0 8px;border-radius:10px;font-size:12.5px;font-weight:600;color:#fff;font-family:ui-monospace,"DejaVu Sans Mono",monospace}
    .chip.vfio{background:var(--vfio)} .chip.native{background:var(--native)} .chip.nodrv{background:#9ca3af}
    .explanation .summary{font-weight:600;margin:8px 0 4px}
    .points{margin:4px 0;padding-left:0;list-style:none}
    .points li{margin:4px 0}
    .jump{display:inline-block;width:20px;height:20px;line-height:20px;text-align:center;border-radius:50%;background:#374151;color:#fff;text-decoration:none;font-size:12px;font-weight:700}
    .jump.race-jump{background:var(--race)}
    .time,.what{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12.5px}
    .role{color:#374151;margin-left:26px}
    .reason{color:#374151;font-size:13px}
    .fixes h4{margin:8px 0 4px;font-size:13px}
    .fixes ul{margin:0;padding-left:4px;list-style:none}
    .fixes .check{color:var(--ok);font-weight:700}
    .rechecked{color:var(--mute);font-size:12.5px}
    .unexplained{color:var(--unk)} .note{color:var(--mute)}
    details.other-devices{margin:0 24px 16px} details.other-devices .cards{margin:10px 0}
    footer{color:var(--mute);font-size:12px;margin:12px 24px 24px}
    """

    /// What the shapes and colours mean.
    static let legend = """
    <div class="legend" aria-label="legend">\
    <span><svg width="16" height="16"><rect x="3" y="3" width="10" height="10" fill="#fee2e2" stroke="#dc2626"/></svg> racing task</span>\
    <span><svg width="30" height="30"><circle cx="15" cy="15" r="12" fill="none" stroke="#dc2626" stroke-width="3.5"/><circle cx="15" cy="15" r="5" fill="#2563eb"/></svg> racing event</span>\
    <span><svg width="40" height="12"><line x1="2" y1="6" x2="38" y2="6" stroke="#dc2626" stroke-width="3" stroke-dasharray="7 5"/></svg> no happens-before path</span>\
    <span><svg width="40" height="12"><line x1="2" y1="6" x2="32" y2="6" stroke="#4b5563" stroke-width="1.6"/><path d="M31 2 L38 6 L31 10 z" fill="#4b5563"/></svg> happens-before</span>\
    <span><svg width="16" height="16"><rect x="1" y="3" width="14" height="10" rx="2" fill="#2563eb"/></svg> vfio driver</span>\
    <span><svg width="16" height="16"><rect x="1" y="3" width="14" height="10" rx="2" fill="#ea580c"/></svg> native driver</span>\
    <span><svg width="16" height="16"><path d="M8 1 L15 8 L8 15 L1 8 Z" fill="#7c3aed"/></svg> device_add</span>\
    <span><svg width="16" height="16"><path d="M8 1 L15 14 L1 14 Z" fill="#2563eb"/></svg> dynamic id</span>\
    <span><svg width="16" height="16"><circle cx="8" cy="8" r="7" fill="#2563eb"/></svg> bound</span>\
    <span><svg width="16" height="16"><rect x="1" y="4" width="14" height="8" fill="#dbeafe" stroke="#2563eb"/></svg> driver_register</span>\
    <span><svg width="16" height="16"><rect x="1" y="5" width="14" height="6" fill="#ea580c"/></svg> probe (faded: failed)</span>\
    </div>
    """

    static let script = """
    (function(){
    "use strict";
    function each(list,f){Array.prototype.forEach.call(list,f);}
    var blocks=document.querySelectorAll('.timeline-block');
    each(blocks,function(block){
      var svg=block.querySelector('svg.timeline'),labels=block.querySelector('svg.lane-labels'),scroll=block.querySelector('.plot-scroll');
      var range=block.querySelector('.zoom-range'),linear=block.querySelector('.linear-time'),idle=block.querySelector('.show-idle'),filter=block.querySelector('.dev-filter');
      var baseW=+svg.getAttribute('data-w');
      var placed=svg.querySelectorAll('[data-x]'),fulls=svg.querySelectorAll('[data-full]'),ticks=svg.querySelectorAll('.axis .tick');
      function layout(){
        var z=Math.pow(2,+range.value),lin=linear.checked,W=baseW*z;
        svg.setAttribute('width',W);
        each(fulls,function(e){if(e.tagName==='line'){e.setAttribute('x2',W);}else{e.setAttribute('width',W);}});
        each(placed,function(e){
          var a=+(lin?e.getAttribute('data-lx'):e.getAttribute('data-x'))*z;
          var x2=lin?e.getAttribute('data-lx2'):e.getAttribute('data-x2');
          if(x2!==null){var b=+x2*z;
            if(e.tagName==='rect'){e.setAttribute('x',a);e.setAttribute('width',Math.max(b-a,3));}
            else{e.setAttribute('x1',a);e.setAttribute('x2',b);}
          }else{e.setAttribute('transform','translate('+a+','+(e.getAttribute('data-y')||0)+')');}
        });
        // Time labels: drop those that would overlap the previous one.
        var last=-1e9;
        each(ticks,function(t){var x=+(lin?t.getAttribute('data-lx'):t.getAttribute('data-x'))*z;var keep=x-last>=84;t.style.display=keep?'':'none';if(keep){last=x;}});
      }
      function heights(){
        var full=idle.checked;
        each([svg,labels],function(s){s.classList.toggle('show-idle',full);s.setAttribute('height',s.getAttribute(full?'data-h-full':'data-h-short'));});
      }
      range.addEventListener('input',layout);
      linear.addEventListener('change',layout);
      idle.addEventListener('change',heights);
      block.querySelector('.zoom-in').addEventListener('click',function(){range.value=Math.min(+range.max,+range.value+0.5);layout();});
      block.querySelector('.zoom-out').addEventListener('click',function(){range.value=Math.max(+range.min,+range.value-0.5);layout();});
      block.querySelector('.zoom-fit').addEventListener('click',function(){
        var z=Math.log(Math.max(scroll.clientWidth-4,100)/baseW)/Math.LN2;
        range.value=Math.max(+range.min,Math.min(+range.max,z));layout();
      });
      filter.addEventListener('change',function(){
        var d=filter.value,tok=' '+d+' ';
        if(d!==''&&!idle.checked){
          var hidden=false;
          each(svg.querySelectorAll('.lane.idle'),function(l){if((l.getAttribute('data-d')||'').indexOf(tok)>=0){hidden=true;}});
          if(hidden){idle.checked=true;heights();}
        }
        each(block.querySelectorAll('.ev,.slice,.edge,.lane,.lane-label,.race-link-svg'),function(e){
          var has=(e.getAttribute('data-d')||'').indexOf(tok)>=0;
          e.classList.toggle('dim',d!==''&&!has);
        });
        each(document.querySelectorAll('.card'),function(c){c.classList.toggle('target',d!==''&&c.getAttribute('data-dev')===d);});
      });
      each(svg.querySelectorAll('.race-link-svg'),function(g){
        g.addEventListener('click',function(){
          var d=(g.getAttribute('data-d')||'').trim(),card=document.getElementById('dev-'+d);
          if(card){card.scrollIntoView({behavior:'smooth',block:'center'});card.classList.add('target');}
        });
      });
      block.bindraceShow=function(el){
        if(el.classList.contains('idle')&&!idle.checked){idle.checked=true;heights();}
        var m=/translate\\(([-0-9.]+)/.exec(el.getAttribute('transform')||'');
        if(m){scroll.scrollLeft=Math.max(0,+m[1]-scroll.clientWidth/2);}
        block.scrollIntoView({behavior:'smooth',block:'start'});
        el.classList.remove('flash');void el.getBoundingClientRect();el.classList.add('flash');
      };
      // Fit the plot to the window when that keeps events apart; a huge
      // trace starts at a readable zoom, scrolled to its first race.
      var fit=Math.log(Math.max(scroll.clientWidth-4,100)/baseW)/Math.LN2;
      range.value=Math.max(-1.5,Math.min(2,fit));
      layout();
      var first=svg.querySelector('.race-event');
      if(first){var m=/translate\\(([-0-9.]+)/.exec(first.getAttribute('transform'));if(m&&+m[1]>scroll.clientWidth){scroll.scrollLeft=+m[1]-scroll.clientWidth/2;}}
    });
    document.addEventListener('click',function(ev){
      var a=ev.target.closest?ev.target.closest('a[href^="#race-"],a[href^="#ev-"]'):null;
      if(!a){return;}
      var el=document.getElementById(a.getAttribute('href').slice(1));
      var block=el&&el.closest('.timeline-block');
      if(!block){return;}
      ev.preventDefault();
      block.bindraceShow(el);
    });
    document.documentElement.setAttribute('data-ready','1');
    })();
    """
}
