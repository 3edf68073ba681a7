/** On the child page: add one of the four kinds of order (法律与国家监护), each opening its own form. */
import { DownOutlined, SafetyOutlined } from '@ant-design/icons';
import { Button, Dropdown, Tag } from 'antd';
import { Link, useNavigate } from 'react-router';
import { z } from 'zod';
import { ORDER_KINDS, ORDER_STATES } from '../../../../domain/orders/rules.js';
import { useT } from './strings.js';

export function OrderAddButton({ childId }: { childId: string }) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: ORDER_KINDS.map((kind) => ({ key: kind, label: <span data-testid={`add-order-${kind}`}>{t(`order.kind.${kind}`)}</span> })),
        onClick: ({ key }) => void navigate(`/children/${childId}/orders/new?kind=${key}`),
      }}
    >
      <Button size="large" block icon={<SafetyOutlined />} className="child-report-link" data-testid="add-order">
        {t('order.add')} <DownOutlined />
      </Button>
    </Dropdown>
  );
}

const OrderFacts = z.object({ orderId: z.string(), state: z.enum(ORDER_STATES) });

/** An order on the child's timeline: its state and a link to it. */
export function OrderTimelineFlags({ details }: { details: Record<string, unknown> }) {
  const t = useT();
  const parsed = OrderFacts.safeParse(details);
  if (!parsed.success) return null;
  const { orderId, state } = parsed.data;
  return (
    <>
      <Tag className="child-tag" data-testid="timeline-order-state">
        {t(`order.state.${state}`)}
      </Tag>
      <Link to={`/orders/${orderId}`} data-testid="timeline-open-order">
        {t('order.open')}
      </Link>
    </>
  );
}
