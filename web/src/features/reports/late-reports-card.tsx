/**
 * Late mandatory reports on the work list (issue 5): open reports whose police
 * notification is missing an hour after the discovery, in red, until the police
 * are recorded or the report is closed. Shown only when there are some.
 */
import { Card, Typography } from 'antd';
import { Link } from 'react-router';
import { useReports } from './api.js';
import { useT } from './strings.js';
import { formatDateTime } from '../../shared/format.js';
import { PlainList, PlainListItem } from '../../shared/plain-list.js';

export function LateReportsCard({ region }: { region: string | undefined }) {
  const t = useT();
  const late = useReports({ status: 'open', late: 'true', region, sort: 'discovered_asc', page: 1, pageSize: 50 });
  const items = late.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card size="small" className="late-reports-card" data-testid="late-reports" title={<span className="late-reports-title">{t('report.lateCardTitle', { n: late.data?.total ?? items.length })}</span>}>
      <PlainList
        size="small"
        items={items}
        itemKey={(r) => r.id}
        renderItem={(r) => (
          <PlainListItem className="late-report-item" data-testid="late-report">
            <Link to={`/reports/${r.id}`} className="late-report-link">
              {r.child.name}
            </Link>
            <Typography.Text type="danger">
              {r.region.name} · {t('report.discoveredAt')} {formatDateTime(r.discoveredAt)}
            </Typography.Text>
          </PlainListItem>
        )}
      />
    </Card>
  );
}
