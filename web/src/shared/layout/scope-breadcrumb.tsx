import { Breadcrumb } from 'antd';
import { EnvironmentOutlined, TeamOutlined } from '@ant-design/icons';
import type { Scope } from '../../../../domain/api.js';

/** The scope's regions as shown to people: the deployment is one city, so the province adds width, not information. */
export function visibleScopePath(scope: Scope): Scope['path'] {
  return scope.path.filter((region) => region.level !== 'province');
}

/** Where the actor works: 怀化市 / 鹤城区 / … , plus the organisation for organisation-scoped roles. */
export function ScopeBreadcrumb({ scope }: { scope: Scope }) {
  const items = visibleScopePath(scope).map((region, index) => ({
    key: region.code,
    title: (
      <span title={region.code}>
        {index === 0 ? <EnvironmentOutlined className="scope-icon" /> : null}
        {region.name}
      </span>
    ),
  }));
  if (scope.kind === 'organisation') {
    items.push({
      key: `org-${scope.organisation.id}`,
      title: (
        <span>
          <TeamOutlined className="scope-icon" />
          {scope.organisation.name}
        </span>
      ),
    });
  }
  return <Breadcrumb className="scope-breadcrumb" data-testid="scope-breadcrumb" items={items} />;
}
