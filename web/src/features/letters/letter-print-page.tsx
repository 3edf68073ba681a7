import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Result, Skeleton, Space, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { LETTER_KINDS, type LetterKind } from '../../../../domain/letters/rules.js';
import type { LetterDocument, StaffContact } from '../../../../domain/letters/schema.js';
import { useLetterDocument } from './api.js';
import { featureTranslate } from '../../shared/i18n/index.js';
import { strings, useT, type Translate } from './strings.js';
import { enumLabel } from '../../shared/i18n/child-labels.js';

/** The letter is a Chinese legal form: its body is printed in Chinese whatever the interface language. */
const zh: Translate = featureTranslate(strings, 'zh-CN');

const TITLES: Record<LetterKind, string> = { guardian: '监护人责任书', entrusted: '委托监护责任书' };
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const blank = (value: string | number | null | undefined) => (value === null || value === undefined || value === '' ? '' : String(value));

/** 郭军文（电话：13874512345）: each named contact with the number to call, or a blank to write it in by hand. */
function Contacts({ people }: { people: readonly StaffContact[] }) {
  if (people.length === 0) return <u className="letter-fill">{'\u3000\u3000\u3000\u3000'}</u>;
  return (
    <>
      {people.map((person, i) => (
        <span key={`${person.name}-${i}`} className="letter-contact">
          {i > 0 ? '、' : null}
          <u className="letter-fill">{person.name}</u>（电话：<u className="letter-fill">{person.phone ?? '\u3000\u3000\u3000\u3000\u3000\u3000'}</u>）
        </span>
      ))}
    </>
  );
}

function Sheet({ doc }: { doc: LetterDocument }) {
  const village = doc.path.map((r) => r.name).join('');
  const villageName = doc.path[doc.path.length - 1]?.name ?? '';
  const entrusted = doc.kind === 'entrusted';
  const sections: { title: string; body: ReactNode }[] = [];
  sections.push({
    title: '监护职责',
    body: (
      <ol className="letter-clauses">
        {doc.duties.map((d, i) => (
          <li key={i}>
            {d.text}
            <span className="letter-article">（第{d.article}条）</span>
          </li>
        ))}
      </ol>
    ),
  });
  if (entrusted) {
    sections.push({
      title: '委托照护约定',
      body: (
        <>
          <p className="letter-paragraph">
            委托人（儿童父母）因外出务工等原因不能完全履行监护职责，委托 <u className="letter-fill">{blank(doc.carer.name) || '　　　　'}</u>（与儿童关系：
            <u className="letter-fill">{blank(doc.carer.relation) || '　　'}</u>）为受托照护人，代为照护儿童 <u className="letter-fill">{doc.child.name}</u>
            。委托期间，父母的监护职责不因委托而免除。双方约定：
          </p>
          <ol className="letter-clauses">
            {doc.entrustedDuties.map((d, i) => (
              <li key={i}>
                {d.text}
                <span className="letter-article">（第{d.article}条）</span>
              </li>
            ))}
          </ol>
        </>
      ),
    });
  }
  sections.push({
    title: '联系方式',
    body: (
      <p className="letter-paragraph" data-testid="letter-contacts">
        村（社区）儿童主任：<Contacts people={doc.directors} />；乡镇（街道）儿童督导员：
        <Contacts people={doc.supervisors} />。发现儿童遭受或疑似遭受侵害的，请立即拨打 110 报警；未成年人保护热线 12355。
      </p>
    ),
  });
  sections.push({
    title: '其他',
    body: (
      <p className="letter-paragraph">
        本责任书一式{entrusted ? '三' : '两'}份，监护人{entrusted ? '、受托照护人' : ''}和村（居）民委员会各执一份，自签字之日起生效。实际照护人变更时，应当重新签订。
      </p>
    ),
  });

  return (
    <article className="letter-sheet" data-testid="letter-sheet">
      <header className="letter-head">
        <h1 className="letter-title">{TITLES[doc.kind]}</h1>
        <div className="letter-reference">编号：{doc.reference}</div>
      </header>
      <p className="letter-paragraph">
        为切实保障未成年人合法权益，依据《中华人民共和国未成年人保护法》《中华人民共和国民法典》等法律法规，{village}
        与儿童的监护人{entrusted ? '、受托照护人' : ''}就儿童 <u className="letter-fill">{doc.child.name}</u> 的监护责任约定如下。
      </p>
      <h2 className="letter-section">一、基本情况</h2>
      <table className="letter-table">
        <tbody>
          <tr>
            <th>儿童姓名</th>
            <td>{doc.child.name}</td>
            <th>性别</th>
            <td>{enumLabel(zh, 'sex', doc.child.sex)}</td>
            <th>出生日期</th>
            <td>{doc.child.birthDate}</td>
          </tr>
          <tr>
            <th>身份证号</th>
            <td colSpan={2}>{blank(doc.child.idNumberMasked)}</td>
            <th>就读学校</th>
            <td colSpan={2}>{[doc.child.school, doc.child.grade, doc.child.className].filter(Boolean).join(' ')}</td>
          </tr>
          <tr>
            <th>家庭住址</th>
            <td colSpan={5}>{doc.child.address?.startsWith(villageName) ? doc.child.address : `${villageName}${blank(doc.child.address)}`}</td>
          </tr>
          {(['father', 'mother'] as const).map((role) => (
            <tr key={role}>
              <th>{role === 'father' ? '父亲' : '母亲'}</th>
              <td>{blank(doc[role].name)}</td>
              <th>状况</th>
              <td>
                {enumLabel(zh, 'parentStatus', doc[role].status)}
                {doc[role].workPlace ? `（${doc[role].workPlace}）` : ''}
              </td>
              <th>联系电话</th>
              <td>{blank(doc[role].phone)}</td>
            </tr>
          ))}
          <tr>
            <th>实际照护人</th>
            <td>
              {blank(doc.carer.name)}
              {doc.carer.relation ? `（${doc.carer.relation}）` : ''}
            </td>
            <th>照护类型</th>
            <td>
              {enumLabel(zh, 'caregiverKind', doc.carer.kind)}
              {doc.carer.age ? ` · ${doc.carer.age}岁` : ''}
            </td>
            <th>联系电话</th>
            <td>{blank(doc.carer.phone)}</td>
          </tr>
        </tbody>
      </table>
      {sections.map((s, i) => (
        <section key={s.title}>
          <h2 className="letter-section">
            {NUMERALS[i + 1]}、{s.title}
          </h2>
          {s.body}
        </section>
      ))}
      <div className="letter-signatures">
        <div>监护人（签字）：</div>
        <div>与儿童关系：</div>
        {entrusted ? <div>受托照护人（签字）：</div> : null}
        <div>儿童主任（签字）：</div>
        <div className="letter-seal">村（居）民委员会（盖章）</div>
        <div className="letter-date">{'\u3000\u3000\u3000\u3000年\u3000\u3000月\u3000\u3000日'}</div>
      </div>
      <footer className="letter-foot">打印日期：{doc.printedOn} · 守护 儿童关爱保护信息系统</footer>
    </article>
  );
}

/** A guardianship letter filled from the file, laid out as an A4 form; the browser prints it (the page chrome is hidden in print). */
export function LetterPrintPage() {
  const t = useT();
  const { id = '', kind: kindParam = '' } = useParams();
  const kind = (LETTER_KINDS as readonly string[]).includes(kindParam) ? (kindParam as LetterKind) : 'guardian';
  const doc = useLetterDocument(id, kind);
  return (
    <div className="letter-page">
      <Card size="small" className="letter-toolbar no-print">
        <Space wrap>
          <Link to={`/children/${id}`}>
            <ArrowLeftOutlined /> {t('letter.backToChild')}
          </Link>
          <Button type="primary" icon={<PrinterOutlined />} disabled={!doc.data} onClick={() => window.print()} data-testid="letter-print">
            {t('letter.print')}
          </Button>
          <Typography.Text type="secondary">{t('letter.printHint')}</Typography.Text>
        </Space>
        <Alert type="info" showIcon className="letter-audit-hint" message={t('letter.printAudited')} />
        <Alert type="warning" showIcon className="letter-phone-hint" data-testid="letter-phone-hint" message={t('letter.phoneHint')} />
      </Card>
      {doc.isPending ? (
        <Card>
          <Skeleton active paragraph={{ rows: 12 }} />
        </Card>
      ) : doc.isError ? (
        <Result status="warning" title={t('letter.loadFailed')} subTitle={doc.error.message} />
      ) : (
        <Sheet doc={doc.data} />
      )}
    </div>
  );
}
