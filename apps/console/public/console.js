// The fan-out console: one EventSource for live state, one fetch per chosen order for its trace.
const $ = (id) => document.getElementById(id);
const el = (tag, attributes = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  node.append(...children);
  return node;
};

let chosen;
let jaegerUiUrl = '';

function renderGroups(groups) {
  const cards = groups.map((group) => {
    const lag = group.partitions.reduce((sum, p) => sum + p.lag, 0);
    const facts = el(
      'div',
      { class: 'facts' },
      el('span', {}, 'state ', el('b', {}, group.state)),
      el('span', {}, 'members ', el('b', {}, String(group.members.length))),
      el('span', {}, 'records/s ', el('b', { 'data-testid': 'rate' }, group.recordsPerS.toFixed(1))),
      el('span', {}, 'lag ', el('b', { 'data-testid': 'lag' }, String(lag))),
      el('span', {}, 'dead letters ', el('b', { 'data-testid': 'dead-letters' }, String(group.deadLetters))),
      ...(group.breaker
        ? [el('span', { class: `breaker-${group.breaker}` }, 'breaker ', el('b', { 'data-testid': 'breaker' }, group.breaker))]
        : []),
    );
    const rows = group.partitions.map((p) =>
      el(
        'tr',
        { 'data-testid': 'partition', 'data-partition': String(p.partition), 'data-owner': p.owner ?? '' },
        el('td', {}, `p${p.partition}`),
        el('td', {}, p.owner ?? '—'),
        el('td', {}, String(p.committed)),
        el('td', { class: p.lag > 100 ? 'lag-high' : '' }, String(p.lag)),
      ),
    );
    const table = el(
      'table',
      {},
      el('tr', {}, el('th', {}, 'partition'), el('th', {}, 'owned by'), el('th', {}, 'committed'), el('th', {}, 'lag')),
      ...rows,
    );
    return el(
      'div',
      { class: 'group', 'data-testid': 'group', 'data-group': group.groupId },
      el('h3', {}, `group “${group.groupId}”`),
      facts,
      table,
    );
  });
  $('groups').replaceChildren(...(cards.length ? cards : [el('p', { class: 'hint' }, 'Kafka not reachable yet…')]));
}

function renderOrders(orders) {
  $('orders').replaceChildren(
    ...orders.map((order) => {
      const item = el(
        'li',
        { 'data-testid': 'order', 'data-order': order.key ?? '', class: order.traceId && order.traceId === chosen ? 'chosen' : '' },
        `${order.key ?? '(no key)'} · ${(order.type ?? '').replace('dev.fanout.order.', '')} · p${order.partition}@${order.offset}`,
      );
      item.addEventListener('click', () => showTrace(order));
      return item;
    }),
  );
}

function renderNode(node) {
  const meta = [
    node.service,
    node.instance,
    node.group && `group ${node.group}`,
    node.partition !== undefined && `p${node.partition}@${node.offset}`,
    `${node.durationMs.toFixed(1)} ms`,
  ].filter(Boolean);
  const line = el(
    'div',
    { class: `span${node.error ? ' error' : ''}`, 'data-testid': 'span', 'data-name': node.name, 'data-group': node.group ?? '' },
    el('span', { class: 'name' }, node.name),
    ' ',
    el('span', { class: 'meta' }, meta.join(' · ') + (node.error ? ` · ${node.error}` : '')),
  );
  return el('li', {}, line, ...(node.children.length ? [el('ul', {}, ...node.children.map(renderNode))] : []));
}

async function showTrace(order) {
  if (!order.traceId) return void $('trace').replaceChildren(el('p', { class: 'hint' }, 'This record carries no trace (not sampled).'));
  chosen = order.traceId;
  $('trace').replaceChildren(el('p', { class: 'hint' }, `Loading trace ${order.traceId}…`));
  // Spans reach Jaeger in batches: ask again for a few seconds until every group's branch is there.
  for (let attempt = 0; attempt < 20 && chosen === order.traceId; attempt++) {
    const response = await fetch(`api/traces/${order.traceId}`);
    if (response.ok) {
      const { tree } = await response.json();
      const branches = JSON.stringify(tree).match(/"name":"process orders"/g)?.length ?? 0;
      drawTree(order, tree);
      if (branches >= 3) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function drawTree(order, tree) {
  const link = jaegerUiUrl ? [el('a', { href: `${jaegerUiUrl}/trace/${order.traceId}`, target: '_blank' }, 'open in Jaeger')] : [];
  $('trace').replaceChildren(
    el('p', { class: 'hint' }, `order ${order.key} · trace ${order.traceId} `, ...link),
    el('div', { class: 'tree', 'data-testid': 'tree', 'data-trace': order.traceId }, el('ul', {}, ...tree.map(renderNode))),
  );
}

const events = new EventSource('api/stream');
events.onopen = () => {
  $('live').textContent = 'live';
  $('live').className = 'up';
};
events.onerror = () => {
  $('live').textContent = 'reconnecting…';
  $('live').className = '';
};
events.onmessage = (message) => {
  const snapshot = JSON.parse(message.data);
  jaegerUiUrl = snapshot.jaegerUiUrl;
  renderGroups(snapshot.groups);
  renderOrders(snapshot.orders);
};
