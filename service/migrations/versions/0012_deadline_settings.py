"""office_settings: the deadlines of the work with families (first visit, visits, plan, monthly
reports, periodic assessment, monitoring), each with its default; calendar_feeds: the staff
members' secret calendar links (only the token's SHA-256 is stored)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 03:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

DEFAULTS = (('first_visit_days', '14'), ('visit_interval_days', '14'), ('plan_months', '1'),
            ('report_day', '5'), ('assessment_months', '6'), ('monitoring_months', '2'))


def upgrade():
    with op.batch_alter_table('office_settings', schema=None) as batch_op:
        for name, default in DEFAULTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=False, server_default=default))
    op.create_table(
        'calendar_feeds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_feeds_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
        sa.UniqueConstraint('token_sha256', name=op.f('uq_calendar_feeds_token_sha256')),
    )
    op.create_index(op.f('ix_calendar_feeds_user_id'), 'calendar_feeds', ['user_id'])


def downgrade():
    op.drop_index(op.f('ix_calendar_feeds_user_id'), table_name='calendar_feeds')
    op.drop_table('calendar_feeds')
    with op.batch_alter_table('office_settings', schema=None) as batch_op:
        for name, _ in reversed(DEFAULTS):
            batch_op.drop_column(name)
